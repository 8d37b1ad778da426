"""Every operation in the served OpenAPI document, called with a token of each scope: allowed or 403, never 401/5xx.

The expected rule is written out here independently of the server's (``coursehost.auth.scopes``), so the walk
checks the behaviour rather than restating the implementation.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.security.conftest import app_headers, bearer, get_token

SCOPES = (
    "read",
    "read:course",
    "write",
    "write:course",
    "delete",
    "delete:course",
    "admin",
    "read:appmgmt",
    "write:appmgmt",
    "delete:appmgmt",
    "read:xapicredential",
    "write:xapicredential",
    "delete:xapicredential",
    "read:registration",
)
TOKEN_OPERATIONS = ("/oauth/authenticate/application/token", "/appManagement/token")
PARAMS = {"courseId": "no-such-course", "versionId": "0", "settingId": "PlayerCaptureHistory"}


def expected_allowed(method: str, path: str, scope: str) -> bool:
    if path.endswith(TOKEN_OPERATIONS):
        return False  # token operations take the application's key and secret only
    if scope == "admin":
        return True
    verb, _, resource = scope.partition(":")
    if path.startswith("/api/v2/appManagement/"):
        owner = "appmgmt"
    elif path.startswith("/api/v2/xapi/credentials"):
        owner = "xapicredential"
    else:
        owner = "course"
    if resource and resource != owner:
        return False
    if method == "get" or path.endswith("/preview"):
        return verb == "read"
    if method == "delete":
        changes_only = path.endswith("/tags") or re.search(r"/configuration/\{settingId\}$", path) is not None
        return verb in (("delete", "write") if changes_only else ("delete",))
    return verb == "write"


def operations(client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    document = client.get("/api/v2/openapi.json").json()
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "delete", "patch"):
                found.append((method, path, operation))
    return found


def call(client: TestClient, method: str, path: str, headers: dict[str, str]) -> Any:
    url = re.sub(r"\{(\w+)\}", lambda m: PARAMS.get(m.group(1), "no-such-" + m.group(1)), path)
    body = {} if method in ("post", "put", "delete") else None
    return client.request(method.upper(), url, json=body, headers=headers)


@pytest.fixture
def tokens(client: TestClient, auth: dict[str, str]) -> dict[str, str]:
    return {scope: get_token(client, app_headers(auth), scope) for scope in SCOPES}


def test_every_operation_with_every_scope(client: TestClient, tokens: dict[str, str]) -> None:
    walked = operations(client)
    assert len(walked) >= 40  # the course service, app configuration and the token operations
    failures = []
    for method, path, _ in walked:
        for scope, token in tokens.items():
            response = call(client, method, path, bearer(token))
            allowed = expected_allowed(method, path, scope)
            if allowed and (response.status_code in (401, 403) or response.status_code >= 500):
                failures.append(f"{method.upper()} {path} with {scope}: {response.status_code} {response.text}")
            if not allowed and response.status_code != 403:
                failures.append(f"{method.upper()} {path} with {scope}: expected 403, got {response.status_code}")
            if not allowed and response.status_code == 403:
                message = response.json()["message"]
                assert "Insufficient scope" in message or "HTTP Basic" in message, message
    assert not failures, "\n".join(failures)


def test_refusal_names_the_scope_needed(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.request("DELETE", "/api/v2/courses/c", json={}, headers=bearer(tokens["read:course"]))
    assert response.status_code == 403
    message = response.json()["message"]
    assert "delete:course" in message
    assert "admin" in message


def test_every_operation_with_basic_credentials(client: TestClient, auth: dict[str, str]) -> None:
    for method, path, _ in operations(client):
        response = call(client, method, path, app_headers(auth))
        assert response.status_code not in (401, 403), (method, path, response.text)
        assert response.status_code < 500, (method, path, response.text)


def test_openapi_declares_the_alternatives(client: TestClient) -> None:
    document = client.get("/api/v2/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert schemes["APP_NORMAL"] == {
        "type": "http",
        "scheme": "basic",
        "description": "username = application id, password = secret key",
    }
    flow = schemes["OAUTH"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == "/api/v2/oauth/authenticate/application/token"
    assert {"read", "read:course", "write:course", "delete:course", "admin"} <= set(flow["scopes"])
    for method, path, operation in operations(client):
        security = operation["security"]
        assert security[0] == {"APP_NORMAL": []}
        # One scope per alternative: any one is enough (a list of several would demand them all).
        assert all(len(entry) == 1 and len(entry.get("OAUTH", [None])) == 1 for entry in security[1:])
        declared = {entry["OAUTH"][0] for entry in security[1:]}
        expected = {scope for scope in SCOPES if expected_allowed(method, path, scope)} - {"read:registration"}
        assert declared == expected, (method, path)
