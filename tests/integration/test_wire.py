"""Wire details the official clients depend on."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from tests.integration.conftest import Api
from tests.support.packages import ScormPackage

ODD_IDS = ["a/b", "50%/off", "with space", "ünï/cødé", "plus+sign", "%2F"]


def test_double_slash_is_collapsed(api: Api) -> None:
    api.import_course("dbl", ScormPackage().to_bytes())
    response = api.client.get("/api/v2//courses/dbl", headers=api.headers)
    assert response.status_code == 200
    assert response.json()["id"] == "dbl"


@pytest.mark.parametrize("course_id", ODD_IDS)
def test_percent_encoded_ids_round_trip(api: Api, course_id: str) -> None:
    api.import_course(course_id, ScormPackage().to_bytes())
    encoded = quote(course_id, safe="")
    for path in ("", "/versions", "/versions/0", "/tags"):
        response = api.client.get(f"/api/v2//courses/{encoded}{path}", headers=api.headers)
        assert response.status_code == 200, (path, response.text)
    assert api.client.get(f"/api/v2/courses/{encoded}", headers=api.headers).json()["id"] == course_id


@pytest.mark.parametrize("value", ["true", "false", "True", "False"])
def test_query_booleans_in_any_case(api: Api, value: str) -> None:
    api.import_course("b1", ScormPackage().to_bytes())
    response = api.request("GET", "/courses/b1", params={"includeRegistrationCount": value})
    assert response.status_code == 200
    assert ("registrationCount" in response.json()) is (value.lower() == "true")


def test_bad_boolean_is_400_naming_parameter(api: Api) -> None:
    response = api.request("GET", "/courses", params={"includeTotalCount": "maybe"})
    assert response.status_code == 400
    assert "includeTotalCount" in response.json()["message"]


@pytest.mark.parametrize(
    "since",
    ["2000-01-01T00:00:00", "2000-01-01T00:00:00+00:00", "2000-01-01T00:00:00.123456", "2000-01-01T02:00:00+02:00"],
)
def test_datetime_forms_accepted(api: Api, since: str) -> None:
    api.import_course("dt", ScormPackage().to_bytes())
    response = api.request("GET", "/courses", params={"since": since})
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["courses"]] == ["dt"]


def test_bad_datetime_is_400_naming_parameter(api: Api) -> None:
    response = api.request("GET", "/courses", params={"since": "yesterday"})
    assert response.status_code == 400
    body = response.json()
    assert "since" in body["message"]
    assert body["error"] == body["message"]


def test_datetimes_written_as_utc_millis_z(api: Api) -> None:
    api.import_course("fmt", ScormPackage().to_bytes())
    body = api.request("GET", "/courses/fmt").json()
    for key in ("created", "updated"):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", body[key]), body[key]


def test_required_lists_present_and_no_nulls(api: Api) -> None:
    api.import_course("nn", ScormPackage().to_bytes())
    body = api.request("GET", "/courses/nn").json()
    assert body["tags"] == []
    assert "null" not in api.request("GET", "/courses/nn").text
    assert api.request("GET", "/courses", params={"tags": "nothing"}).json() == {"courses": []}


def test_unauthenticated_is_401_with_both_keys(client: TestClient) -> None:
    response = client.get("/api/v2/courses")
    assert response.status_code == 401
    assert response.json() == {"message": "Authorization Required.", "error": "Authorization Required."}
    # A challenge no browser answers with a login prompt (docs/security.md).
    assert response.headers["www-authenticate"] == 'Bearer realm="coursehost"'


def test_wrong_secret_is_401(client: TestClient, auth: dict[str, str], make_app: object) -> None:
    app_id = auth["X-App-Id"]
    import base64

    bad = base64.b64encode(f"{app_id}:wrong".encode()).decode()
    assert client.get("/api/v2/courses", headers={"Authorization": f"Basic {bad}"}).status_code == 401
    assert client.get("/api/v2/courses", headers={"Authorization": "Basic !!!"}).status_code == 401
    assert client.get("/api/v2/courses", headers={"Authorization": "Bearer x"}).status_code == 401


def test_unknown_route_uses_error_shape(api: Api) -> None:
    response = api.request("GET", "/nowhere")
    assert response.status_code == 404
    assert set(response.json()) == {"message", "error"}


def test_openapi_operation_ids(client: TestClient) -> None:
    spec = client.get("/api/v2/openapi.json").json()
    ids = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {
        "createUploadAndImportCourseJob",
        "createFetchAndImportCourseJob",
        "createNoUploadAndImportCourseJob",
        "getImportJobStatus",
        "getCourse",
        "getCourses",
        "getCourseVersions",
        "getCourseVersionInfo",
        "deleteCourse",
        "deleteCourseVersion",
        "getCourseTags",
        "putCourseTags",
        "deleteCourseTags",
        "putCourseTagsBatch",
        "setCourseTitle",
    } <= ids
    assert "/api/v2/courses/{courseId}" in spec["paths"]


@pytest.mark.parametrize("course_id", ["what?", "hash#tag", "a/b c", "ünï"])
def test_web_path_to_course_is_fetchable_for_any_id(api: Api, course_id: str) -> None:
    job = api.import_course(course_id, ScormPackage().to_bytes())
    web = job["importResult"]["webPathToCourse"]
    assert "?" not in web
    assert "#" not in web
    assert api.client.get(web.removeprefix("http://testserver") + "index.html").status_code == 200


def test_title_filter_folds_non_ascii_case(api: Api) -> None:
    api.import_course("fr", ScormPackage(title="École ÉTÉ").to_bytes())
    body = api.request("GET", "/courses", params={"filter": "école été", "filterBy": "title"}).json()
    assert [c["id"] for c in body["courses"]] == ["fr"]
