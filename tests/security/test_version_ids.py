"""``versionId`` is int32 on every route (kit/params.py): beyond it is 400 naming the parameter on both databases (it
was an OverflowError on SQLite and a wrong "NUL character" message on PostgreSQL), and a negative version in range is
simply one that does not exist (404). Every ``/versions/{versionId}`` operation of the served OpenAPI is walked."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import Api
from tests.support.packages import ScormPackage

COURSE = "seeded"
TOO_BIG = [2**31, 2**63, 2**64, -(2**31) - 1, -(2**63) - 1]

# A request each operation would accept for an existing version, so -1 reaches the version lookup.
UPLOAD = {"files": {"file": ("a.txt", b"x", "text/plain")}, "data": {"destination": "a.txt"}}
REQUESTS: dict[str, dict[str, Any]] = {
    "getCourseVersionInfo": {},
    "deleteCourseVersion": {},
    "uploadCourseVersionAssetFile": UPLOAD,
    "importCourseVersionAssetFile": {"json": {"fetchUrl": "http://127.0.0.1:9/a.txt", "destination": "a.txt"}},
    "getCourseVersionAsset": {"params": {"relativePath": "index.html"}},
    "deleteCourseVersionAsset": {"params": {"relativePath": "index.html"}},
    "getCourseVersionFileList": {},
    "getVersionedCourseZip": {},
    "getCourseVersionConfiguration": {},
    "setCourseVersionConfiguration": {"json": {"settings": []}},
    "deleteCourseVersionConfigurationSetting": {},
    "buildCoursePreviewLaunchLinkWithVersion": {"json": {}},
    "getCourseVersionStatements": {},
}


def _version_operations(api: Api) -> list[tuple[str, str, str]]:
    document = api.client.get("/api/v2/openapi.json").json()
    return [
        (method.upper(), path.removeprefix("/api/v2"), operation["operationId"])
        for path, operations in document["paths"].items()
        if "{versionId}" in path
        for method, operation in operations.items()
    ]


@pytest.fixture
def seeded(api: Api) -> Api:
    api.import_course(COURSE, ScormPackage().to_bytes())
    return api


def test_every_version_operation_is_covered(seeded: Api) -> None:
    assert {operation_id for _m, _p, operation_id in _version_operations(seeded)} == set(REQUESTS)


@pytest.mark.parametrize("version", TOO_BIG)
def test_version_ids_beyond_int32_are_400_naming_the_parameter(seeded: Api, version: int) -> None:
    for method, path, operation_id in _version_operations(seeded):
        concrete = path.format(courseId=COURSE, versionId=version, settingId="PlayerCourseStructureWidth")
        response = seeded.request(method, concrete, **REQUESTS[operation_id])
        assert response.status_code == 400, (operation_id, response.text)
        assert "path parameter 'versionId'" in response.json()["message"], operation_id
    assert seeded.request("GET", f"/courses/{COURSE}/versions/0").status_code == 200


@pytest.mark.parametrize("version", [-1, -(2**31), 2**31 - 1])
def test_version_ids_in_range_that_do_not_exist_are_404(seeded: Api, version: int) -> None:
    for method, path, operation_id in _version_operations(seeded):
        concrete = path.format(courseId=COURSE, versionId=version, settingId="PlayerCourseStructureWidth")
        response = seeded.request(method, concrete, **REQUESTS[operation_id])
        assert response.status_code == 404, (operation_id, response.text)
        assert f"version {version}" in response.json()["message"], (operation_id, response.text)


@pytest.mark.parametrize("version", [2**31, 2**63, 2**64])
def test_content_urls_beyond_int32_are_refused(seeded: Api, version: int) -> None:
    response = seeded.client.get(f"/content/courses/{seeded.app_id}/{COURSE}/{version}/index.html")
    assert response.status_code == 400, response.text
    assert seeded.client.get(f"/content/courses/{seeded.app_id}/{COURSE}/-1/index.html").status_code == 404
