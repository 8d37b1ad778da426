"""buildCoursePreviewLaunchLink / buildCoursePreviewLaunchLinkWithVersion: the request body's rules and the link."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import Api
from tests.integration.player.helpers import HOST, link
from tests.integration.player.packages import scorm12_course
from tests.support.formats import cmi5_xml, tincan_xml
from tests.support.packages import zip_bytes


@pytest.fixture
def course(api: Api) -> str:
    api.import_course("course-1", scorm12_course(count=2))
    return "course-1"


def post(api: Api, course_id: str, body: Any = None, **kwargs: Any) -> Any:
    return api.request("POST", f"/courses/{course_id}/preview", json={} if body is None else body, **kwargs)


def test_link_is_absolute_signed_and_unique(api: Api, course: str) -> None:
    first = link(api, course)
    second = link(api, course)
    assert first != second  # a random nonce in every link
    assert len(first.rsplit("/", 1)[1]) > 60


def test_version_link_and_the_official_clients_default_body(api: Api, course: str) -> None:
    api.import_course(course, scorm12_course(title="Second"), mayCreateNewVersion="true")
    response = api.request("POST", f"/courses/{course}/versions/0/preview", json={"expiry": 120})
    assert response.status_code == 200
    assert set(response.json()) == {"launchLink"}


def test_no_body_means_every_default(api: Api, course: str) -> None:
    assert api.request("POST", f"/courses/{course}/preview").status_code == 200


@pytest.mark.parametrize(
    ("path", "message"), [("/courses/nope/preview", "nope"), ("/courses/course-1/versions/9/preview", "9")]
)
def test_unknown_course_or_version_is_404(api: Api, course: str, path: str, message: str) -> None:
    response = api.request("POST", path, json={})
    assert response.status_code == 404
    assert message in response.json()["message"]


def test_credentials_are_required(api: Api, course: str) -> None:
    assert api.client.post(f"/api/v2/courses/{course}/preview", json={}).status_code == 401


@pytest.mark.parametrize(("expiry", "status"), [(9, 400), (10, 200), (300, 200), (301, 400), (0, 400), (-5, 400)])
def test_expiry_range(api: Api, course: str, expiry: int, status: int) -> None:
    response = post(api, course, {"expiry": expiry})
    assert response.status_code == status, response.text
    if status == 400:
        assert "expiry" in response.json()["message"]


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("https://lms.example.com/done?x=1", 200),
        ("closer", 200),
        ("BLANK", 200),
        ("message", 200),
        ("", 200),
        ("lms.example.com/done", 400),
        ("javascript:alert(1)", 400),
        ("ftp://example.com/", 400),
    ],
)
def test_redirect_on_exit_url(api: Api, course: str, value: str, status: int) -> None:
    response = post(api, course, {"redirectOnExitUrl": value})
    assert response.status_code == status, response.text
    if status == 400:
        assert "redirectOnExitUrl" in response.json()["message"]


def test_css_url_in_body_or_query(api: Api, course: str) -> None:
    assert post(api, course, {"cssUrl": "https://cdn.example.com/a.css"}).status_code == 200
    assert post(api, course, params={"cssUrl": "https://cdn.example.com/a.css"}).status_code == 200
    bad = post(api, course, params={"cssUrl": "/relative.css"})
    assert bad.status_code == 400
    assert "cssUrl" in bad.json()["message"]


def test_start_sco_must_be_a_launchable_item(api: Api, course: str) -> None:
    assert post(api, course, {"startSco": "i2"}).status_code == 200
    response = post(api, course, {"startSco": "missing"})
    assert response.status_code == 400
    assert "startSco 'missing'" in response.json()["message"]


@pytest.mark.parametrize(("culture", "status"), [("fr", 200), ("pt-BR", 200), ("en_US", 200), ("fr!", 400)])
def test_culture(api: Api, course: str, culture: str, status: int) -> None:
    assert post(api, course, {"culture": culture}).status_code == status


def test_additionalvalues_is_lowercase_on_the_wire(api: Api, course: str) -> None:
    response = post(api, course, {"additionalvalues": [{"item": "a", "value": "b"}]})
    assert response.status_code == 200
    assert post(api, course, {"additionalvalues": [{"value": "no item"}]}).status_code == 400


def test_xapi_and_cmi5_courses_are_previewed(api: Api) -> None:
    # Issue 12: they launch with the application's LRS (docs/xapi.md, "Launches"); before it, this was a 400.
    api.import_course("xapi", zip_bytes({"tincan.xml": tincan_xml(), "index.html": "<html></html>"}))
    api.import_course("cmi5", zip_bytes({"cmi5.xml": cmi5_xml(), "index.html": "<html></html>"}))
    for course_id in ("xapi", "cmi5"):
        assert post(api, course_id).status_code == 200


def test_operations_are_in_the_openapi_document(api: Api) -> None:
    spec = api.client.get("/api/v2/openapi.json").json()
    operations = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {"buildCoursePreviewLaunchLink", "buildCoursePreviewLaunchLinkWithVersion"} <= operations
    assert not any(path.startswith("/player") for path in spec["paths"])


def test_link_uses_the_public_url(api: Api, course: str) -> None:
    response = post(api, course)
    assert response.json()["launchLink"].startswith(HOST + "/player/launch/")
