"""Course reads and writes through the ASGI app on a real database."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from coursehost.config import Settings
from tests.integration.conftest import Api
from tests.support.files import stored_bytes, stored_files
from tests.support.packages import Sco, ScormPackage


def pkg(title: str = "Course", version: str = "1.2") -> bytes:
    return ScormPackage(title=title, version=version).to_bytes()


def ids(body: dict[str, Any]) -> list[str]:
    return [c["id"] for c in body["courses"]]


def test_get_course_shape(api: Api) -> None:
    package = ScormPackage(title="Shape", scos=[Sco("i1", "One", "a.html"), Sco("i2", "Two", "b/b.html")])
    api.import_course("shape", package.to_bytes())
    body = api.request("GET", "/courses/shape", params={"includeCourseMetadata": "true"}).json()
    assert body["id"] == "shape"
    assert body["title"] == "Shape"
    assert body["version"] == 0
    assert body["courseLearningStandard"] == "SCORM12"
    assert body["dispatched"] is False
    assert "metadata" not in body  # the package has no LOM, so the flag has no effect
    root = body["rootActivity"]
    assert root["activityType"] == "AGGREGATION"
    assert [(c["itemIdentifier"], c["activityType"], c["href"]) for c in root["children"]] == [
        ("i1", "SCO", "a.html"),
        ("i2", "SCO", "b/b.html"),
    ]
    assert "registrationCount" not in body


def test_get_unknown_course_is_404(api: Api) -> None:
    response = api.request("GET", "/courses/none")
    assert response.status_code == 404
    assert response.json()["message"] == "Could not find course [none]"


def test_versions_start_at_zero_and_get_course_returns_latest(api: Api) -> None:
    api.import_course("v", pkg("First"))
    api.import_course("v", pkg("Second", "2004 4th Edition"), mayCreateNewVersion="true")
    latest = api.request("GET", "/courses/v").json()
    assert (latest["version"], latest["title"], latest["courseLearningStandard"]) == (
        1,
        "Second",
        "SCORM20044THEDITION",
    )
    versions = api.request("GET", "/courses/v/versions").json()
    assert set(versions) == {"courses"}
    assert [c["version"] for c in versions["courses"]] == [0, 1]
    v0 = api.request("GET", "/courses/v/versions/0").json()
    assert (v0["version"], v0["title"]) == (0, "First")
    assert api.request("GET", "/courses/v/versions/7").status_code == 404


def test_versions_since_until(api: Api) -> None:
    api.import_course("vs", pkg())
    body = api.request("GET", "/courses/vs/versions", params={"since": "2999-01-01T00:00:00"}).json()
    assert body == {"courses": []}
    body = api.request("GET", "/courses/vs/versions", params={"until": "2999-01-01T00:00:00Z"}).json()
    assert len(body["courses"]) == 1


def test_delete_version_and_last_version_deletes_course(api: Api, settings: Settings) -> None:
    api.import_course("dv", pkg("A"))
    api.import_course("dv", pkg("B"), mayCreateNewVersion="true")
    assert api.request("DELETE", "/courses/dv/versions/1", json={}).status_code == 204
    latest = api.request("GET", "/courses/dv").json()
    assert (latest["version"], latest["title"]) == (0, "A")
    assert api.request("DELETE", "/courses/dv/versions/0", json={}).status_code == 204
    assert api.request("GET", "/courses/dv").status_code == 404
    assert stored_files(settings.data_dir) == []
    # The id is free again.
    api.import_course("dv", pkg("C"))
    assert api.request("GET", "/courses/dv").json()["version"] == 0


def test_delete_course_removes_rows_and_files(api: Api, settings: Settings) -> None:
    api.import_course("del", pkg())
    assert b"<html><body>SCO</body></html>" in stored_bytes(settings.data_dir)
    assert api.request("DELETE", "/courses/del", json={}).status_code == 204
    assert api.request("GET", "/courses/del").status_code == 404
    assert api.request("DELETE", "/courses/del", json={}).status_code == 404
    assert stored_files(settings.data_dir) == []


def test_tags_add_remove_and_batch(api: Api) -> None:
    api.import_course("t1", pkg(), tags="x,y")
    api.import_course("t2", pkg())
    assert api.request("GET", "/courses/t1/tags").json() == {"tags": ["x", "y"]}
    assert api.request("PUT", "/courses/t1/tags", json={"tags": ["z", "x"]}).status_code == 204
    assert api.request("GET", "/courses/t1/tags").json() == {"tags": ["x", "y", "z"]}
    response = api.request("DELETE", "/courses/t1/tags", json={"tags": [" y ", "never-there"]})
    assert response.status_code == 204
    assert api.request("GET", "/courses/t1/tags").json() == {"tags": ["x", "z"]}
    assert api.request("PUT", "/courses/tags", json={"ids": ["t1", "t2"], "tags": ["b"]}).status_code == 204
    assert api.request("GET", "/courses/t2/tags").json() == {"tags": ["b"]}
    assert api.request("GET", "/courses/t1/tags").json() == {"tags": ["b", "x", "z"]}


def test_batch_tags_with_unknown_id_changes_nothing(api: Api) -> None:
    api.import_course("bt", pkg())
    response = api.request("PUT", "/courses/tags", json={"ids": ["bt", "ghost"], "tags": ["new"]})
    assert response.status_code == 404
    assert "ghost" in response.json()["message"]
    assert api.request("GET", "/courses/bt/tags").json() == {"tags": []}


def test_batch_tags_requires_both_arrays(api: Api) -> None:
    assert api.request("PUT", "/courses/tags", json={"ids": ["a"]}).status_code == 400


def test_set_title(api: Api) -> None:
    api.import_course("ti", pkg("Old"))
    before = api.request("GET", "/courses/ti").json()["updated"]
    time.sleep(0.01)
    assert api.request("PUT", "/courses/ti/title", json={"title": "New title"}).status_code == 204
    body = api.request("GET", "/courses/ti").json()
    assert body["title"] == "New title"
    assert body["updated"] > before
    assert api.request("GET", "/courses", params={"filter": "new t", "filterBy": "title"}).json()["courses"]
    assert api.request("PUT", "/courses/ti/title", json={"title": "  "}).status_code == 400
    assert api.request("PUT", "/courses/nope/title", json={"title": "x"}).status_code == 404


def test_get_courses_filters(api: Api) -> None:
    api.import_course("alpha-1", pkg("Zebra Course"), tags="red")
    api.import_course("beta-2", pkg("apple course"), tags="blue,green")
    api.import_course("ALPHA-3", pkg("Mango"))
    assert ids(api.request("GET", "/courses", params={"tags": "green,red"}).json()) == ["beta-2", "alpha-1"]
    assert ids(api.request("GET", "/courses", params={"filter": "alpha"}).json()) == ["ALPHA-3", "alpha-1"]
    body = api.request("GET", "/courses", params={"filter": "COURSE", "filterBy": "title"}).json()
    assert ids(body) == ["beta-2", "alpha-1"]
    assert ids(api.request("GET", "/courses", params={"filter": "%"}).json()) == []
    assert api.request("GET", "/courses", params={"filterBy": "nope"}).status_code == 400
    by_alias = api.request("GET", "/courses", params={"filter": "MANGO", "filterBy": "course_title"}).json()
    assert ids(by_alias) == ["ALPHA-3"]
    assert ids(api.request("GET", "/courses", params={"filter": "GRE", "filterBy": "tags"}).json()) == ["beta-2"]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("created_asc", ["c1", "c2", "c3"]),
        ("created_desc", ["c3", "c2", "c1"]),
        ("updated_asc", ["c2", "c3", "c1"]),
        ("updated_desc", ["c1", "c3", "c2"]),
        ("title_asc", ["c2", "c1", "c3"]),
        ("title_desc", ["c3", "c1", "c2"]),
    ],
)
def test_get_courses_order(api: Api, order: str, expected: list[str]) -> None:
    api.import_course("c1", pkg("Beta"))
    api.import_course("c2", pkg("Alpha"))
    api.import_course("c3", pkg("Gamma"))
    api.request("PUT", "/courses/c1/tags", json={"tags": ["touch"]})  # moves c1's updated time
    assert ids(api.request("GET", "/courses", params={"orderBy": order}).json()) == expected


def test_get_courses_since_until_on_created_and_updated(api: Api) -> None:
    api.import_course("old", pkg())
    cut = api.request("GET", "/courses/old").json()["created"]
    after = (datetime.fromisoformat(cut) + timedelta(milliseconds=1)).isoformat()
    time.sleep(0.02)
    api.import_course("new", pkg())
    api.request("PUT", "/courses/old/tags", json={"tags": ["t"]})
    by_updated = api.request("GET", "/courses", params={"since": after}).json()
    assert set(ids(by_updated)) == {"old", "new"}
    by_created = api.request("GET", "/courses", params={"since": after, "datetimeFilter": "created"})
    assert ids(by_created.json()) == ["new"]
    inclusive = api.request("GET", "/courses", params={"until": cut, "datetimeFilter": "created"}).json()
    assert ids(inclusive) == ["old"]
    exact = api.request("GET", "/courses", params={"since": cut, "until": cut, "datetimeFilter": "created"}).json()
    assert ids(exact) == ["old"]


@pytest.fixture
def small_pages(settings: Settings) -> Settings:
    settings.page_size = 2
    return settings


@pytest.mark.usefixtures("small_pages")
def test_pagination_with_more_token(client: TestClient, auth: dict[str, str]) -> None:
    api = Api(client, auth)
    for n in range(5):
        api.import_course(f"p{n}", pkg(f"T{n}"), tags="keep" if n != 2 else "drop")
    first = api.request("GET", "/courses", params={"tags": "keep", "orderBy": "title_asc", "includeTotalCount": "True"})
    assert first.headers["X-Total-Count"] == "4"
    page = first.json()
    seen = ids(page)
    while "more" in page:
        response = api.request("GET", "/courses", params={"more": page["more"]})
        assert "X-Total-Count" not in response.headers
        page = response.json()
        seen += ids(page)
    assert seen == ["p0", "p1", "p3", "p4"]
    assert "more" not in page


@pytest.mark.usefixtures("small_pages")
def test_more_token_is_tamper_proof(client: TestClient, auth: dict[str, str], make_app: Any) -> None:
    api = Api(client, auth)
    for n in range(3):
        api.import_course(f"q{n}", pkg())
    token = api.request("GET", "/courses").json()["more"]
    forged = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    assert api.request("GET", "/courses", params={"more": forged}).status_code == 400
    assert api.request("GET", "/courses", params={"more": "garbage"}).status_code == 400
    other = Api(client, make_app("other"))
    assert other.request("GET", "/courses", params={"more": token}).status_code == 400


def test_registration_count_and_metadata_flags(api: Api) -> None:
    api.import_course("f", pkg())
    body = api.request(
        "GET", "/courses", params={"includeRegistrationCount": "True", "includeCourseMetadata": "True"}
    ).json()
    assert body["courses"][0]["registrationCount"] == 0
    assert "metadata" not in body["courses"][0]  # no LOM in the package
