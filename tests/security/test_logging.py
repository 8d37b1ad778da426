"""No secret, token, Authorization header or URL credential is ever written to a log."""

from __future__ import annotations

import base64
import logging

import pytest
from fastapi.testclient import TestClient

from coursehost.auth.service import rotate_secret
from coursehost.context import Context
from coursehost.imports.postback import deliver
from tests.security.conftest import app_headers, bearer, get_token
from tests.support.httpserver import Route, local_server


def test_auth_and_tokens_leave_no_credentials_in_logs(
    client: TestClient, auth: dict[str, str], ctx: Context, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    headers = app_headers(auth)
    secret = base64.b64decode(headers["Authorization"].split()[1]).decode().partition(":")[2]
    token = get_token(client, headers, "read")
    created = client.post(
        "/api/v2/appManagement/token",
        json={"permissions": {"scopes": ["admin"]}, "expiry": "2999-01-01T00:00:00Z"},
        headers=headers,
    ).json()["result"]
    client.get("/api/v2/courses", headers=bearer(token))
    client.put("/api/v2/courses/c/title", json={"title": "x"}, headers=bearer(token))  # 403
    client.get("/api/v2/courses", headers=bearer(token + "tampered"))
    wrong = base64.b64encode(f"{auth['X-App-Id']}:{secret}-guess".encode()).decode()
    swapped = base64.b64encode(f"{secret}:{secret}".encode()).decode()  # the secret typed as the app id
    for header in (f"Basic {wrong}", f"Basic {swapped}"):
        for _ in range(40):  # far enough to be rate limited
            client.get("/api/v2/courses", headers={"Authorization": header})
    with ctx.db.session() as session:
        rotated = rotate_secret(session, auth["X-App-Id"])
    assert rotated is not None

    logged = caplog.text
    assert "failed authentication" in logged
    assert "too many failed attempts" in logged
    for value in (secret, token, created, wrong, swapped, headers["Authorization"], rotated.secret_key):
        assert value not in logged


def test_postback_urls_are_logged_without_credentials(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    deliver("http://receiver:hunter2@10.0.0.1/pb?token=s3cr3t", {"status": "COMPLETE"}, 1, 0, 1)
    assert "10.0.0.1/pb" in caplog.text
    assert "hunter2" not in caplog.text
    assert "s3cr3t" not in caplog.text


def test_delivered_postbacks_leave_no_query_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with local_server() as server:
        server.routes["/pb?token=s3cr3t"] = Route(status=500)
        url = server.url("/pb?token=s3cr3t")
        assert deliver(url, {"status": "COMPLETE"}, 1, 0, 2, outbound_allow="127.0.0.1/32") is False
    assert "answered HTTP 500" in caplog.text
    assert "s3cr3t" not in caplog.text
