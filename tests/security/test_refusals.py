"""Requests that used to be accepted and leave something broken behind are refused with 400 (issue 10): course ids
that a browser resolves away in ``webPathToCourse``, deleting the file a course launches, and an unknown
``updateAssetPolicy`` sent as a form field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import Api
from tests.support.packages import Sco, ScormPackage

DOTS = [".", ".."]


@pytest.mark.parametrize("course_id", DOTS)
@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("POST", "/courses/importJobs/upload", {"files": {"file": ("c.zip", b"PK\x05\x06" + b"\0" * 18)}}),
        ("POST", "/courses/importJobs", {"json": {"url": "http://127.0.0.1:9/c.zip"}}),
        ("POST", "/courses/importJobs/noUpload", {"json": {"fetchRequest": {"url": "http://127.0.0.1:9/c.zip"}}}),
    ],
    ids=["upload", "fetch", "noUpload"],
)
def test_dot_course_ids_are_refused(api: Api, course_id: str, method: str, path: str, kwargs: dict[str, Any]) -> None:
    response = api.request(method, path, params={"courseId": course_id}, **kwargs)
    assert response.status_code == 400, response.text
    assert f"must not be '{course_id}'" in response.json()["message"]


def test_ids_that_only_contain_dots_among_other_characters_still_work(api: Api) -> None:
    job = api.import_course("...", ScormPackage().to_bytes())
    assert job["importResult"]["webPathToCourse"].endswith("/.../0/")
    assert api.client.get(job["importResult"]["webPathToCourse"] + "index.html").status_code == 200


@pytest.mark.parametrize("version", [None, 0])
def test_a_launch_file_cannot_be_deleted(api: Api, version: int | None) -> None:
    scos = [Sco("one", "First", "one/index.html"), Sco("two", "Second", "two/start.html")]
    api.import_course("c", ScormPackage(scos=scos, extra_files={"one/style.css": b"p{}"}).to_bytes())
    base = "/courses/c" if version is None else f"/courses/c/versions/{version}"
    for path, activity in (("one/index.html", "First"), ("two/start.html", "Second"), ("/two/start.html", "Second")):
        response = api.request("DELETE", f"{base}/asset", params={"relativePath": path})
        assert response.status_code == 400, response.text
        assert f"launch file of activity '{activity}'" in response.json()["message"]
    assert api.request("DELETE", f"{base}/asset", params={"relativePath": "imsmanifest.xml"}).status_code == 400
    assert api.request("DELETE", f"{base}/asset", params={"relativePath": "one/style.css"}).status_code == 204
    listed = {f["path"] for f in api.request("GET", f"{base}/asset/list").json()["files"]}
    assert listed == {"imsmanifest.xml", "one/index.html", "two/start.html"}


def _upload(api: Api, destination: str, query: dict[str, str], form: dict[str, str]) -> Any:
    return api.request(
        "POST", "/courses/c/asset/upload", params=query,
        data={"destination": destination, **form}, files={"file": ("a.txt", b"new", "text/plain")},
    )  # fmt: skip


def test_update_asset_policy_in_the_form_is_checked_and_honoured(api: Api) -> None:
    api.import_course("c", ScormPackage(extra_files={"a.txt": b"old"}).to_bytes())
    bogus = _upload(api, "b.txt", {}, {"updateAssetPolicy": "bogus"})
    assert bogus.status_code == 400
    assert "form field 'updateAssetPolicy'" in bogus.json()["message"]
    assert _upload(api, "a.txt", {}, {"updateAssetPolicy": "reject"}).status_code == 409
    assert _upload(api, "new.txt", {}, {"updateAssetPolicy": "strict"}).status_code == 404
    clash = _upload(api, "a.txt", {"updateAssetPolicy": "lax"}, {"updateAssetPolicy": "reject"})
    assert clash.status_code == 400
    assert _upload(api, "a.txt", {"updateAssetPolicy": "lax"}, {"updateAssetPolicy": "lax"}).status_code == 200
    listed = {f["path"] for f in api.request("GET", "/courses/c/asset/list").json()["files"]}
    assert "b.txt" not in listed
    assert "new.txt" not in listed
