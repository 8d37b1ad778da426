"""The served OpenAPI document is valid and says what the server does: the error statuses each operation can send
(with the error schema, never FastAPI's 422), multipart upload bodies, required parameters and bodies, full enums.

The statuses expected per operation are written out here independently of ``coursehost.kit.openapi``; that the
server sends no status its document leaves out is checked by the schemathesis run (tests/security).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from tests.integration.conftest import Api
from tests.support.packages import ScormPackage

ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/MessageSchema"}}}
BINARY = {"type": "string", "format": "binary"}
IMPORTS = ("createUploadAndImportCourseJob", "createFetchAndImportCourseJob", "createNoUploadAndImportCourseJob")
ASSET_WRITES = (
    "uploadCourseAssetFile", "uploadCourseVersionAssetFile", "importCourseAssetFile", "importCourseVersionAssetFile",
)  # fmt: skip
UPLOADS = {
    # operation: (parts, required parts)
    "createUploadAndImportCourseJob": ({"file", "contentMetadata"}, {"file"}),
    "uploadCourseAssetFile": ({"file", "destination"}, {"file", "destination"}),
    "uploadCourseVersionAssetFile": ({"file", "destination"}, {"file", "destination"}),
}
ASSET_PATHS = {
    "getCourseAsset": ("GET", "/courses/c/asset"),
    "getCourseVersionAsset": ("GET", "/courses/c/versions/0/asset"),
    "deleteCourseAsset": ("DELETE", "/courses/c/asset"),
    "deleteCourseVersionAsset": ("DELETE", "/courses/c/versions/0/asset"),
}


def document(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/v2/openapi.json")
    assert response.status_code == 200
    found: dict[str, Any] = response.json()
    return found


def operations(doc: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {
        op["operationId"]: (method, path, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method in ("get", "put", "post", "delete", "patch")
    }


def expected_errors(operation_id: str, path: str, op: dict[str, Any]) -> set[str]:
    statuses = {400, 401, 403, 429}
    if re.search(r"\{(courseId|importJobId|xapiCredentialId)\}", path) or operation_id == "putCourseTagsBatch":
        statuses.add(404)
    if "requestBody" in op:
        statuses |= {408, 413}
    # createXapiCredential/setXapiCredential: another request created the same credential id at the same time.
    if operation_id in (*IMPORTS, *ASSET_WRITES, "createXapiCredential", "setXapiCredential"):
        statuses.add(409)
    if any(p["in"] == "query" for p in op.get("parameters", ())):
        statuses.add(414)
    return {str(s) for s in statuses}


def test_the_document_is_valid_openapi(client: TestClient) -> None:
    validate(document(client))


def test_every_operation_lists_the_errors_it_can_send(client: TestClient) -> None:
    doc = document(client)
    walked = operations(doc)
    assert len(walked) >= 40
    for operation_id, (_method, path, op) in walked.items():
        # 416 (a Range past the end of a download) has no body; the download routes declare it themselves.
        errors = {status for status in op["responses"] if int(status) >= 400 and status != "416"}
        assert errors == expected_errors(operation_id, path, op), operation_id
        for status in errors:
            assert op["responses"][status]["content"] == ERROR, (operation_id, status)
            assert op["responses"][status]["description"]
        assert op["responses"]["429"]["headers"]["Retry-After"]["required"] is True
    schemas = doc["components"]["schemas"]
    assert not {"HTTPValidationError", "ValidationError"} & set(schemas)
    assert schemas["MessageSchema"]["required"] == ["message", "error"]


def test_validation_errors_are_400_with_the_error_schema(api: Api) -> None:
    # What the document promises instead of FastAPI's 422.
    response = api.request("GET", "/courses", params={"orderBy": "sideways"})
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"message", "error"}
    assert "orderBy" in body["message"]


@pytest.mark.parametrize("operation_id", sorted(UPLOADS))
def test_uploads_declare_their_multipart_parts(client: TestClient, operation_id: str) -> None:
    _method, _path, op = operations(document(client))[operation_id]
    body = op["requestBody"]
    assert body["required"] is True
    assert set(body["content"]) == {"multipart/form-data"}
    schema = body["content"]["multipart/form-data"]["schema"]
    parts, required = UPLOADS[operation_id]
    assert set(schema["properties"]) == parts
    assert set(schema["required"]) == required
    assert {k: v for k, v in schema["properties"]["file"].items() if k != "description"} == BINARY
    assert all(schema["properties"][p]["type"] == "string" for p in parts)
    if operation_id == "createUploadAndImportCourseJob":
        header = next(p for p in op["parameters"] if p["in"] == "header")
        assert header["name"] == "uploadedContentType"
        assert header["schema"] == {"type": "string", "default": "application/zip"}


@pytest.mark.parametrize(
    ("path", "files", "missing"),
    [
        ("/courses/importJobs/upload?courseId=new", {"contentMetadata": (None, "{}")}, "file"),
        ("/courses/c/asset/upload", {"destination": (None, "a.txt")}, "file"),
        ("/courses/c/asset/upload", {"file": ("a.txt", b"a")}, "destination"),
        ("/courses/c/versions/0/asset/upload", {"file": ("a.txt", b"a")}, "destination"),
    ],
)
def test_a_required_part_left_out_is_400(api: Api, path: str, files: dict[str, Any], missing: str) -> None:
    api.import_course("c", ScormPackage().to_bytes())
    response = api.request("POST", path, files=files)
    assert response.status_code == 400, response.text
    assert f"'{missing}'" in response.json()["message"]


@pytest.mark.parametrize("operation_id", sorted(ASSET_PATHS))
def test_relative_path_is_required_where_the_server_requires_it(
    client: TestClient, api: Api, operation_id: str
) -> None:
    _method, _path, op = operations(document(client))[operation_id]
    parameter = next(p for p in op["parameters"] if p["name"] == "relativePath")
    assert (parameter["required"], parameter["schema"]) == (True, {"type": "string"})
    method, path = ASSET_PATHS[operation_id]
    response = api.request(method, path)
    assert response.status_code == 400
    assert "relativePath" in response.json()["message"]


def test_preview_body_is_required_as_in_scorm_cloud(client: TestClient) -> None:
    walked = operations(document(client))
    for operation_id in ("buildCoursePreviewLaunchLink", "buildCoursePreviewLaunchLinkWithVersion"):
        body = walked[operation_id][2]["requestBody"]
        assert body["required"] is True
        assert body["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/PreviewLaunchLinkRequestSchema"
        }


def test_setting_enums_are_scorm_clouds(client: TestClient) -> None:
    schemas = document(client)["components"]["schemas"]
    assert schemas["SettingItem"]["properties"]["effectiveValueSource"]["enum"] == [
        "default",
        "application",
        "learningStandardForApplication",
        "dispatchDestination",
        "course",
        "dispatch",
        "registration",
    ]
    variant = schemas["SettingMetadata"]["properties"]["learningStandardVariant"]
    assert {"enum": ["singleScoOnly", "multiScoOnly", "either"], "type": "string"} in variant["anyOf"]


def test_parameters_are_never_null_and_untitled(client: TestClient) -> None:
    for operation_id, (_method, _path, op) in operations(document(client)).items():
        for parameter in op.get("parameters", ()):
            schema = parameter["schema"]
            assert not {"anyOf", "title"} & set(schema), (operation_id, parameter)
            if schema.get("type") == "array" and parameter["in"] == "query":
                assert (parameter["style"], parameter["explode"]) == ("form", False), (operation_id, parameter)


def test_timestamps_are_date_times(client: TestClient) -> None:
    schemas = document(client)["components"]["schemas"]
    for name, field in (("CourseSchema", "created"), ("CourseSchema", "updated"), ("FileListItemSchema", "modified")):
        assert schemas[name]["properties"][field] == {"type": "string", "format": "date-time"}


def test_downloads_are_binary(client: TestClient) -> None:
    walked = operations(document(client))
    for operation_id in ("getCourseAsset", "getCourseVersionAsset"):
        content = walked[operation_id][2]["responses"]["200"]["content"]
        assert content["application/octet-stream"]["schema"] == BINARY
        assert {"206", "304", "416"} <= set(walked[operation_id][2]["responses"])
    for operation_id in ("getCourseZip", "getVersionedCourseZip"):
        content = walked[operation_id][2]["responses"]["200"]["content"]
        assert content["application/zip"]["schema"] == BINARY
