"""Text no database can hold is refused where the request is decoded (kit/routing.py), the same way on SQLite and
PostgreSQL: a lone UTF-16 surrogate or a NUL anywhere in a JSON body, a NUL in a path or query parameter or a
multipart field, each a 400 naming the field (issue 10). Before, a surrogate was a 500 (UnicodeEncodeError in the
database layer) and a NUL was stored by SQLite but refused by PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.conftest import Api
from tests.support.packages import ScormPackage

COURSE = "seeded"
BAD_TEXT = {"surrogate": ("\ud800", "lone UTF-16 surrogate"), "NUL": ("a\x00b", "NUL character")}


@pytest.fixture
def seeded(api: Api) -> Api:
    api.import_course(COURSE, ScormPackage().to_bytes())
    return api


def _json(api: Api, method: str, path: str, body: Any, **kwargs: Any) -> Any:
    # json.dumps writes a lone surrogate as the escape "\ud800", exactly what a client sends.
    content = json.dumps(body).encode()
    return api.request(method, path, content=content, headers={"Content-Type": "application/json"}, **kwargs)


def _json_operations(client: TestClient) -> list[tuple[str, str]]:
    document = client.get("/api/v2/openapi.json").json()
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                concrete = path.removeprefix("/api/v2").format(
                    courseId=COURSE, versionId=0, settingId="x", xapiCredentialId="cred"
                )
                found.append((method.upper(), concrete))
    return found


@pytest.mark.parametrize("kind", BAD_TEXT)
def test_every_json_body_is_checked_where_it_is_decoded(seeded: Api, kind: str) -> None:
    """Walks every operation of the served OpenAPI document that takes a JSON body."""
    value, named = BAD_TEXT[kind]
    operations = _json_operations(seeded.client)
    assert len(operations) >= 12
    for method, path in operations:
        for body in ({"probe": value}, {"probe": [{"deeper": value}]}, {value: 1}):
            response = _json(seeded, method, path, body)
            assert response.status_code == 400, (method, path, response.text)
            message = response.json()["message"]
            assert named in message and "probe" in message or "key" in message, (method, path, message)
            assert response.json()["error"] == message


# Realistic bodies that reach the database when not refused first: each one failed before the fix.
FIELDS = [
    ("PUT", f"/courses/{COURSE}/title", lambda v: {"title": v}, "title"),
    ("PUT", f"/courses/{COURSE}/tags", lambda v: {"tags": ["ok", v]}, "tags[1]"),
    ("DELETE", f"/courses/{COURSE}/tags", lambda v: {"tags": [v]}, "tags[0]"),
    ("PUT", "/courses/tags", lambda v: {"ids": [COURSE], "tags": [v]}, "tags[0]"),
    ("PUT", "/courses/tags", lambda v: {"ids": [v], "tags": ["t"]}, "ids[0]"),
    (
        "POST",
        f"/courses/{COURSE}/configuration",
        lambda v: {"settings": [{"settingId": "PlayerCourseStructureWidth", "value": v}]},
        "settings[0].value",
    ),
    (
        "POST",
        "/appManagement/configuration",
        lambda v: {"settings": [{"settingId": v, "value": "1"}]},
        "settings[0].settingId",
    ),
    ("POST", "/courses/importJobs?courseId=new", lambda v: {"url": f"http://127.0.0.1:9/{v}.zip"}, "url"),
    (
        "POST",
        "/courses/importJobs/noUpload?courseId=new",
        lambda v: {
            "mediaFileReferenceRequest": {
                "url": "http://127.0.0.1:9/a.mp4",
                "contentType": "video/mp4",
                "mediaFileMetadata": {"title": v},
            }
        },
        "mediaFileReferenceRequest.mediaFileMetadata.title",
    ),  # fmt: skip
    (
        "POST",
        f"/courses/{COURSE}/asset",
        lambda v: {"fetchUrl": f"http://127.0.0.1:9/{v}", "destination": "a"},
        "fetchUrl",
    ),
    (
        "POST",
        f"/courses/{COURSE}/asset",
        lambda v: {"fetchUrl": "http://127.0.0.1:9/a", "destination": v},
        "destination",
    ),
    ("POST", f"/courses/{COURSE}/preview", lambda v: {"redirectOnExitUrl": v}, "redirectOnExitUrl"),
    ("POST", "/xapi/credentials", lambda v: {"name": v}, "name"),
    ("PUT", "/xapi/credentials/cred", lambda v: {"name": "n", "secret": v}, "secret"),
]


@pytest.mark.parametrize("kind", BAD_TEXT)
@pytest.mark.parametrize(("method", "path", "body", "field"), FIELDS, ids=[f"{m} {p} {f}" for m, p, _, f in FIELDS])
def test_stored_fields_refuse_bad_text_and_nothing_changes(
    seeded: Api, method: str, path: str, body: Any, field: str, kind: str
) -> None:
    value, named = BAD_TEXT[kind]
    before = seeded.request("GET", f"/courses/{COURSE}").json()
    response = _json(seeded, method, path, body(value))
    assert response.status_code == 400, response.text
    assert f"'{field}'" in response.json()["message"]
    assert named in response.json()["message"]
    assert seeded.request("GET", f"/courses/{COURSE}").json() == before
    assert seeded.request("GET", "/courses/new").status_code == 404
    # The connection and the server keep answering.
    assert seeded.request("GET", f"/courses/{COURSE}").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "params", "name"),
    [
        ("GET", f"/courses/{COURSE}%00x", {}, "courseId"),
        ("GET", f"/courses/{COURSE}%00x/versions/0", {}, "courseId"),
        ("DELETE", f"/courses/{COURSE}/configuration/Player%00", {}, "settingId"),
        ("GET", "/courses/importJobs/a%00", {}, "importJobId"),
        ("PUT", "/xapi/credentials/a%00", {}, "xapiCredentialId"),
        ("GET", "/courses", {"tags": "a\x00"}, "tags"),
        ("GET", "/courses", {"tags": ["ok", "a\x00"]}, "tags"),  # a list parameter: every occurrence is checked
        ("GET", "/courses", {"filter": "a\x00"}, "filter"),
        ("GET", f"/courses/{COURSE}/asset", {"relativePath": "index\x00.html"}, "relativePath"),
        ("POST", "/courses/importJobs/upload", {"courseId": "c", "tags": "a\x00"}, "tags"),
        ("POST", "/courses/importJobs/upload", {"courseId": "c", "tags": ["ok", "b\x00"]}, "tags"),
        ("POST", "/courses/importJobs/upload", {"courseId": "c\x00"}, "courseId"),
    ],
)
def test_nul_in_path_and_query_parameters(
    seeded: Api, method: str, path: str, params: dict[str, str | list[str]], name: str
) -> None:
    files = {"file": ("c.zip", ScormPackage().to_bytes(), "application/zip")} if method == "POST" else None
    response = seeded.request(method, path, params=params, files=files)
    assert response.status_code == 400, response.text
    assert response.json()["message"].endswith(f"parameter '{name}' must not contain a NUL character")


@pytest.mark.parametrize(
    ("path", "data", "field"),
    [
        (f"/courses/{COURSE}/asset/upload", {"destination": "a\x00.png"}, "destination"),
        ("/courses/importJobs/upload?courseId=media", {"contentMetadata": '{"title": "a\\u0000b"}'}, "contentMetadata"),
    ],
)
def test_nul_in_multipart_fields(seeded: Api, path: str, data: dict[str, str], field: str) -> None:
    files = {"file": ("a.pdf", b"%PDF-1.4 x", "application/pdf")}
    response = seeded.request("POST", path, data=data, files=files, headers={"uploadedContentType": "application/pdf"})
    assert response.status_code == 400, response.text
    assert f"'{field}'" in response.json()["message"]
    assert "NUL character" in response.json()["message"]
    assert seeded.request("GET", "/courses/media").status_code == 404


def test_a_query_parameter_given_twice_is_refused(seeded: Api) -> None:
    files = {"file": ("a.txt", b"x", "text/plain")}
    response = seeded.request(
        "POST", f"/courses/{COURSE}/asset/upload?updateAssetPolicy=bogus&updateAssetPolicy=lax",
        data={"destination": "a.txt"}, files=files,
    )  # fmt: skip
    assert response.status_code == 400, response.text
    assert "'updateAssetPolicy' was given 2 times" in response.json()["message"]
    assert seeded.request("GET", f"/courses/{COURSE}/asset", params={"relativePath": "a.txt"}).status_code == 404
