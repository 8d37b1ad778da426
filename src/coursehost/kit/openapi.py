"""The served OpenAPI document, finished so that it says what the server does and code generators can use it.

FastAPI writes the document from the routes; routes declare what only they know (a streamed multipart body, a
binary download). What follows from one rule for every operation is added here, in one pass:

* Error statuses. Every error any operation sends is ``{"message", "error"}`` (``kit/handlers.py``), declared once as
  ``MessageSchema`` (SCORM Cloud's name) and referenced by each status an operation can answer with, derived from
  its shape by :data:`RULES`. FastAPI's 422 goes: validation errors are answered with 400. Refusals made before a
  request reaches an operation (a request head too large or too slow, 431/408 from the server protocol) are not
  listed per operation.
* Parameters. A query, path or header value is never ``null`` on the wire, so FastAPI's ``anyOf [X, null]`` for an
  optional parameter becomes ``X``. A list in the query (``tags``) is declared as SCORM
  Cloud declares it, sent comma-separated (``style: form, explode: false``), the form the official clients use.
* Titles. The titles pydantic derives from field names go from parameters and properties: generators name types
  after them (``CourseSchemaCourselearningstandard``), and they say nothing the name does not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from coursehost.kit.limits import is_upload

Document = dict[str, Any]
Step = Callable[[Document], None]

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
ERROR_SCHEMA = "MessageSchema"
ERROR_COMPONENT: Document = {
    "type": "object",
    "description": "Every error answer: both fields carry the same text (SCORM Cloud documents 'message' and was "
    "seen sending 'error').",
    "properties": {"message": {"type": "string"}, "error": {"type": "string"}},
    "required": ["message", "error"],
}
# Path parameters naming something that may not exist (settingId names a catalog entry: unknown ones are 400).
RESOURCE_PARAMETERS = frozenset({"courseId", "versionId", "importJobId", "xapiCredentialId"})


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: Document

    @property
    def id(self) -> str:
        return str(self.spec.get("operationId", ""))

    def parameters(self, where: str) -> set[str]:
        return {p["name"] for p in self.spec.get("parameters", ()) if p.get("in") == where}


@dataclass(frozen=True)
class Rule:
    status: int
    description: str
    applies: Callable[[Operation], bool]
    headers: Document | None = None


def _always(op: Operation) -> bool:
    return True


def _names_a_resource(op: Operation) -> bool:
    # putCourseTagsBatch names its courses in the body, and answers 404 when one is missing.
    return bool(op.parameters("path") & RESOURCE_PARAMETERS) or op.id == "putCourseTagsBatch"


def _imports(op: Operation) -> bool:
    return op.method == "post" and "/courses/importJobs" in op.path


def _writes_an_asset(op: Operation) -> bool:
    return "updateAssetPolicy" in op.parameters("query")


def _creates_a_credential(op: Operation) -> bool:
    return op.method in ("post", "put") and op.path.startswith("/api/v2/xapi/credentials")


def _uploads(op: Operation) -> bool:
    return is_upload(op.method.upper(), op.path)


def _takes_json_or_form(op: Operation) -> bool:
    return "requestBody" in op.spec and not _uploads(op)


def _has_body(op: Operation) -> bool:
    return "requestBody" in op.spec


def _has_query(op: Operation) -> bool:
    return bool(op.parameters("query"))


# Every error status an operation can answer with, in the order a reader looks for them. A status may have several
# rules (409 for two reasons); an operation lists each status once, with the descriptions of the rules that apply.
RULES: tuple[Rule, ...] = (
    Rule(400, "A parameter or the body is invalid; the message names it", _always),
    Rule(401, "Missing, wrong or expired credentials", _always),
    Rule(
        403,
        "A bearer token without a scope this operation accepts (token operations take Basic credentials only)",
        _always,
    ),
    Rule(
        404,
        "The course, version, file, import job or xAPI credential does not exist (for this application)",
        _names_a_resource,
    ),
    Rule(408, "The request body stopped arriving for longer than COURSEHOST_BODY_TIMEOUT_SECONDS", _has_body),
    Rule(409, "The course exists and mayCreateNewVersion is false", _imports),
    Rule(409, "The file exists and updateAssetPolicy is reject", _writes_an_asset),
    Rule(409, "Another request created an xAPI credential with the same id at the same time", _creates_a_credential),
    Rule(413, "The upload is larger than COURSEHOST_MAX_UPLOAD_BYTES", _uploads),
    Rule(413, "The body is larger than COURSEHOST_MAX_JSON_BYTES", _takes_json_or_form),
    Rule(414, "The query string is longer than COURSEHOST_MAX_QUERY_BYTES", _has_query),
    Rule(
        429,
        "Too many failed authentications from this address or for this application",
        _always,
        headers={
            "Retry-After": {
                "description": "Seconds to wait before authenticating again",
                "required": True,
                "schema": {"type": "integer"},
            }
        },
    ),
)


def error_responses(op: Operation) -> dict[str, Document]:
    found: dict[str, Document] = {}
    for rule in RULES:
        if not rule.applies(op):
            continue
        status = str(rule.status)
        if status in found:
            found[status]["description"] += f"; or: {rule.description[0].lower()}{rule.description[1:]}"
            continue
        found[status] = {
            "description": rule.description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}}},
        }
        if rule.headers:
            found[status]["headers"] = rule.headers
    return found


def _untitled(schema: Document) -> None:
    """Drop the titles pydantic derives from names ("Courselearningstandard"): generators name types after them."""
    schema.pop("title", None)
    for branch in (*schema.get("anyOf", ()), *schema.get("allOf", ()), schema.get("items")):
        if isinstance(branch, dict):
            _untitled(branch)
    for value in schema.get("properties", {}).values():
        _untitled(value)


def _parameter_schema(parameter: Document) -> None:
    schema: Document = parameter.get("schema", {})
    _untitled(schema)
    branches = schema.get("anyOf")
    if isinstance(branches, list):
        values = [b for b in branches if b != {"type": "null"}]
        if len(values) == 1 and len(values) < len(branches):
            del schema["anyOf"]
            schema.update(values[0])
    if parameter.get("in") == "query" and schema.get("type") == "array":
        parameter.update(style="form", explode=False)


def operations(document: Document) -> list[Operation]:
    return [
        Operation(method, path, spec)
        for path, item in document.get("paths", {}).items()
        for method, spec in item.items()
        if method in METHODS and isinstance(spec, dict)
    ]


def finish(document: Document) -> None:
    """Apply the rules above to every operation of ``document`` (in place)."""
    for op in operations(document):
        for parameter in op.spec.get("parameters", ()):
            _parameter_schema(parameter)
        responses: Document = op.spec.setdefault("responses", {})
        responses.pop("422", None)
        responses.update(error_responses(op))
        op.spec["responses"] = dict(sorted(responses.items()))
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    for schema in schemas.values():
        for value in schema.get("properties", {}).values():
            _untitled(value)
    schemas[ERROR_SCHEMA] = ERROR_COMPONENT
    document["components"]["schemas"] = dict(sorted(schemas.items()))


def install(app: FastAPI, *steps: Step) -> None:
    """Serve FastAPI's document passed through ``steps`` and :func:`finish`, built once on first request."""
    generate = app.openapi

    def openapi() -> Document:
        if app.openapi_schema is None:
            document = generate()
            for step in (*steps, finish):
                step(document)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
