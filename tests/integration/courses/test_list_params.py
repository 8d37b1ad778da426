"""List-valued query parameters (every ``tags``): comma-joined, repeated and mixed forms mean the same list."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.integration.conftest import Api
from tests.support.httpserver import Route, local_server
from tests.support.packages import ScormPackage

PACKAGE = ScormPackage(title="Tagged").to_bytes()
# Each form of the list a, b, c as a client may write it in the query string.
FORMS: dict[str, list[str]] = {
    "comma-joined": ["a,b,c"],
    "repeated": ["a", "b", "c"],
    "mixed": ["a,b", "c"],
    "spaces, blanks and duplicates": [" a , b", "", "c,a", " "],
}


@pytest.fixture
def package_url() -> Iterator[str]:
    with local_server() as server:
        server.routes["/course.zip"] = Route(body=PACKAGE)
        yield server.url("/course.zip")


def _upload(api: Api, course_id: str, tags: list[str], _url: str) -> Any:
    return api.upload(course_id, PACKAGE, tags=tags)


def _fetch(api: Api, course_id: str, tags: list[str], url: str) -> Any:
    return api.request("POST", "/courses/importJobs", params={"courseId": course_id, "tags": tags}, json={"url": url})


def _no_upload(api: Api, course_id: str, tags: list[str], url: str) -> Any:
    params = {"courseId": course_id, "tags": tags}
    return api.request("POST", "/courses/importJobs/noUpload", params=params, json={"fetchRequest": {"url": url}})


IMPORTS: dict[str, Callable[[Api, str, list[str], str], Any]] = {
    "createUploadAndImportCourseJob": _upload,
    "createFetchAndImportCourseJob": _fetch,
    "createNoUploadAndImportCourseJob": _no_upload,
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("operation", IMPORTS)
def test_import_tags_in_every_form(api: Api, package_url: str, operation: str, form: str) -> None:
    response = IMPORTS[operation](api, "c", FORMS[form], package_url)
    assert response.status_code == 200, response.text
    assert api.wait(response.json()["result"])["status"] == "COMPLETE"
    assert api.request("GET", "/courses/c/tags").json() == {"tags": ["a", "b", "c"]}


@pytest.mark.parametrize("form", FORMS)
def test_get_courses_tags_filter_in_every_form(api: Api, form: str) -> None:
    for course_id, tags in (("ta", "a"), ("tb", "b"), ("tc", "c"), ("td", "d"), ("none", "")):
        api.import_course(course_id, PACKAGE, **({"tags": tags} if tags else {}))
    body = api.request("GET", "/courses", params={"tags": FORMS[form], "orderBy": "title_asc"}).json()
    assert sorted(c["id"] for c in body["courses"]) == ["ta", "tb", "tc"]


def test_repeated_tags_survive_pagination(api: Api) -> None:
    api.client.app.state.ctx.settings.page_size = 1  # type: ignore[attr-defined]
    for course_id, tag in (("pa", "a"), ("pb", "b"), ("pc", "c")):
        api.import_course(course_id, PACKAGE, tags=tag)
    seen: list[str] = []
    params: dict[str, Any] = {"tags": ["a", "b"]}
    while True:
        body = api.request("GET", "/courses", params=params).json()
        seen += [c["id"] for c in body["courses"]]
        if "more" not in body:
            break
        params = {"more": body["more"]}
    assert sorted(seen) == ["pa", "pb"]
