"""kit/openapi.finish on small documents: the cases the served document does not show on its own."""

from __future__ import annotations

from typing import Any

from coursehost.kit.openapi import finish


def _doc(path: str, method: str, operation: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "paths": {path: {method: {"operationId": "op", "responses": {"200": {"description": "OK"}}} | operation}},
        "components": {"schemas": {"HTTPValidationError": {}, "ValidationError": {}}},
    }


def test_a_query_list_is_sent_comma_separated_and_parameters_are_never_null() -> None:
    parameters = [
        {"name": "tags", "in": "query", "schema": {"anyOf": [{"type": "array", "items": {"type": "string"}},
                                                              {"type": "null"}], "title": "Tags"}},
        {"name": "more", "in": "query", "schema": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "More"}},
        {"name": "either", "in": "query", "schema": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
    ]  # fmt: skip
    doc = _doc("/api/v2/courses", "get", {"parameters": parameters})
    finish(doc)
    tags, more, either = doc["paths"]["/api/v2/courses"]["get"]["parameters"]
    assert tags == {
        "name": "tags", "in": "query", "style": "form", "explode": False,
        "schema": {"type": "array", "items": {"type": "string"}},
    }  # fmt: skip
    assert more["schema"] == {"type": "string"}
    assert "style" not in more
    assert either["schema"] == {"anyOf": [{"type": "string"}, {"type": "integer"}]}  # not nullable: left alone


def test_422_goes_and_the_error_schema_replaces_it() -> None:
    doc = _doc("/api/v2/courses/{courseId}/tags", "put", {
        "parameters": [{"name": "courseId", "in": "path", "required": True, "schema": {"type": "string"}}],
        "requestBody": {"content": {"application/json": {"schema": {}}}},
        "responses": {"204": {"description": "OK"}, "422": {"description": "Validation Error"}},
    })  # fmt: skip
    finish(doc)
    responses = doc["paths"]["/api/v2/courses/{courseId}/tags"]["put"]["responses"]
    assert list(responses) == ["204", "400", "401", "403", "404", "408", "413", "429"]
    assert responses["413"]["description"] == "The body is larger than COURSEHOST_MAX_JSON_BYTES"
    schemas = doc["components"]["schemas"]
    assert list(schemas) == ["MessageSchema"]


def test_an_upload_gets_the_upload_cap_and_statuses_with_two_reasons_list_both() -> None:
    doc = _doc("/api/v2/courses/importJobs/upload", "post", {
        "parameters": [{"name": "updateAssetPolicy", "in": "query", "schema": {"type": "string"}}],
        "requestBody": {"content": {"multipart/form-data": {"schema": {}}}},
    })  # fmt: skip
    finish(doc)
    responses = doc["paths"]["/api/v2/courses/importJobs/upload"]["post"]["responses"]
    assert responses["413"]["description"] == "The upload is larger than COURSEHOST_MAX_UPLOAD_BYTES"
    assert responses["409"]["description"] == (
        "The course exists and mayCreateNewVersion is false; or: the file exists and updateAssetPolicy is reject"
    )


def test_property_titles_go_but_a_property_named_title_stays() -> None:
    doc = _doc("/api/v2/x", "get", {})
    doc["components"]["schemas"]["TitleSchema"] = {
        "title": "TitleSchema",
        "type": "object",
        "properties": {
            "title": {"type": "string", "title": "Title"},
            "kind": {"anyOf": [{"enum": ["a"], "type": "string", "title": "Kind"}, {"type": "null"}], "title": "Kind"},
            "items": {"type": "array", "items": {"type": "string", "title": "Item"}, "title": "Items"},
        },
    }
    finish(doc)
    schema = doc["components"]["schemas"]["TitleSchema"]
    assert schema["title"] == "TitleSchema"
    assert schema["properties"] == {
        "title": {"type": "string"},
        "kind": {"anyOf": [{"enum": ["a"], "type": "string"}, {"type": "null"}]},
        "items": {"type": "array", "items": {"type": "string"}},
    }
