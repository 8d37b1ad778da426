"""OAuth2 bearer tokens: issuance by both endpoints, lifetime cap, and every way a token must stop working."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from coursehost.auth import service as auth_service
from coursehost.auth import tokens
from coursehost.auth.service import find_application, rotate_secret
from coursehost.context import Context
from coursehost.kit import tokens as signing
from tests.integration.conftest import basic
from tests.security.conftest import app_headers, bearer, get_token

TOKEN_URL = "/api/v2/oauth/authenticate/application/token"
CREATE_URL = "/api/v2/appManagement/token"
CONFIG_URL = "/api/v2/appManagement/configuration"


def test_get_app_token_answers_the_oauth_shape(client: TestClient, auth: dict[str, str]) -> None:
    response = client.post(TOKEN_URL, data={"scope": "read:course write:course", "expiration": "120"}, headers=auth)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"access_token", "expires_in", "token_type"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 120
    assert client.get("/api/v2/courses", headers=bearer(body["access_token"])).status_code == 200


def test_default_lifetime_and_cap(client: TestClient, auth: dict[str, str], ctx: Context) -> None:
    default = client.post(TOKEN_URL, data={"scope": "read"}, headers=auth).json()
    assert default["expires_in"] == ctx.settings.token_default_lifetime_seconds
    capped = client.post(TOKEN_URL, data={"scope": "read", "expiration": str(10**9)}, headers=auth).json()
    assert capped["expires_in"] == ctx.settings.token_max_lifetime_seconds
    claims = tokens.read(ctx.settings.resolved_secret_key, capped["access_token"])
    assert claims is not None
    assert claims.expires <= time.time() + ctx.settings.token_max_lifetime_seconds + 1


def test_create_token_takes_the_token_request_schema(client: TestClient, auth: dict[str, str], ctx: Context) -> None:
    expiry = (datetime.now(UTC) + timedelta(minutes=2)).replace(tzinfo=None).isoformat() + "Z"
    body = {"permissions": {"scopes": ["read:course"], "applicationName": "ignored"}, "expiry": expiry}
    response = client.post(CREATE_URL, json=body, headers=auth)
    assert response.status_code == 200, response.text
    token = response.json()["result"]
    claims = tokens.read(ctx.settings.resolved_secret_key, token)
    assert claims is not None
    assert claims.scopes == {"read:course"}
    assert 100 < claims.expires - time.time() <= 121
    far = {"permissions": {"scopes": ["read"]}, "expiry": "2999-01-01T00:00:00"}
    claims = tokens.read(
        ctx.settings.resolved_secret_key, client.post(CREATE_URL, json=far, headers=auth).json()["result"]
    )
    assert claims is not None
    assert claims.expires <= time.time() + ctx.settings.token_max_lifetime_seconds + 1


@pytest.mark.parametrize(
    ("url", "payload"),
    [
        (TOKEN_URL, {"data": {"scope": ""}}),
        (TOKEN_URL, {"data": {"scope": "read", "expiration": "0"}}),
        (TOKEN_URL, {"data": {"scope": "read", "expiration": "-5"}}),
        (TOKEN_URL, {"data": {"scope": "superuser"}}),
        (CREATE_URL, {"json": {"permissions": {"scopes": []}, "expiry": "2999-01-01T00:00:00Z"}}),
        (CREATE_URL, {"json": {"permissions": {"scopes": ["read"]}, "expiry": "2000-01-01T00:00:00Z"}}),
        (CREATE_URL, {"json": {"permissions": {"scopes": ["read"]}}}),
    ],
)
def test_bad_token_requests_are_400(client: TestClient, auth: dict[str, str], url: str, payload: Any) -> None:
    assert client.post(url, headers=auth, **payload).status_code == 400


def test_token_endpoints_need_basic_credentials(client: TestClient, auth: dict[str, str]) -> None:
    token = get_token(client, auth, "admin")
    assert client.post(TOKEN_URL, data={"scope": "admin"}).status_code == 401
    # A token cannot mint another (it would outlive its own expiry): 403, naming what is needed.
    refused = client.post(TOKEN_URL, data={"scope": "admin"}, headers=bearer(token))
    assert refused.status_code == 403
    assert "HTTP Basic" in refused.json()["message"]
    body = {"permissions": {"scopes": ["admin"]}, "expiry": "2999-01-01T00:00:00Z"}
    assert client.post(CREATE_URL, json=body, headers=bearer(token)).status_code == 403


def test_expired_token_is_401(
    client: TestClient, auth: dict[str, str], ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = get_token(client, auth, "read", expiration=60)
    assert client.get("/api/v2/courses", headers=bearer(token)).status_code == 200
    claims = tokens.read(ctx.settings.resolved_secret_key, token)
    assert claims is not None
    # The server's clock moves past the expiry instead of the test sleeping through it (a loaded CI
    # machine can take longer than a short lifetime between issuing and first use).
    later = claims.expires + 0.001
    monkeypatch.setattr(tokens, "time", SimpleNamespace(time=lambda: later))
    response = client.get("/api/v2/courses", headers=bearer(token))
    assert response.status_code == 401
    assert "expired" in response.json()["message"]


def test_token_lives_at_least_the_lifetime_asked_for() -> None:
    key = b"k" * 32
    before = time.time()
    claims = tokens.read(key, tokens.issue(key, "APP", "hash", frozenset({"read"}), 1))
    assert claims is not None
    assert claims.expires >= before + 1


def _tamper(token: str, **changes: Any) -> str:
    """The token with its payload changed and the original signature kept."""
    body, tag = token.split(".")
    decoded = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    new_body = base64.urlsafe_b64encode(json.dumps(decoded | changes).encode()).rstrip(b"=").decode()
    return f"{new_body}.{tag}"


def test_tampered_tokens_are_401(client: TestClient, auth: dict[str, str], make_app: Any) -> None:
    token = get_token(client, auth, "read:course")
    other = make_app("other")["X-App-Id"]
    forged = [
        _tamper(token, scp=["admin"]),
        _tamper(token, exp=int(time.time()) + 10**6),
        _tamper(token, app=other),
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        token.replace(".", ""),
        "not-a-token",
        "",
    ]
    for candidate in forged:
        response = client.put("/api/v2/courses/c/title", json={"title": "x"}, headers=bearer(candidate))
        assert response.status_code == 401, (candidate, response.text)


def test_token_signed_by_another_server_is_401(client: TestClient, auth: dict[str, str], ctx: Context) -> None:
    app_id = auth["X-App-Id"]
    with ctx.db.session() as session:
        found = find_application(session, app_id)
        assert found is not None
        secret_hash = found.secret_hash
    foreign = tokens.issue(b"some-other-server-key", app_id, secret_hash, frozenset({"admin"}), 600)
    assert client.get("/api/v2/courses", headers=bearer(foreign)).status_code == 401
    # The same claims signed with this server's key are fine: only the signature differs.
    own = tokens.issue(ctx.settings.resolved_secret_key, app_id, secret_hash, frozenset({"admin"}), 600)
    assert client.get("/api/v2/courses", headers=bearer(own)).status_code == 200
    # A pagination cursor is signed with the same key but for another purpose: never a token.
    cursor = signing.sign(ctx.settings.resolved_secret_key, "courses", {"app": app_id})
    assert client.get("/api/v2/courses", headers=bearer(cursor)).status_code == 401


def test_tokens_are_bound_to_their_application(client: TestClient, auth: dict[str, str], make_app: Any) -> None:
    other = make_app("other")
    mine = get_token(client, auth, "admin")
    theirs = get_token(client, app_headers(other), "admin")
    setting = {"settings": [{"settingId": "PlayerCaptureHistory", "value": "false"}]}
    assert client.post(CONFIG_URL, json=setting, headers=bearer(mine)).status_code == 204
    assert _capture_history(client, bearer(mine)) == "false"
    assert _capture_history(client, bearer(theirs)) != "false"


def _capture_history(client: TestClient, headers: dict[str, str]) -> str:
    items = client.get(CONFIG_URL, headers=headers).json()["settingItems"]
    return str(next(item["effectiveValue"] for item in items if item["id"] == "PlayerCaptureHistory"))


def test_rotating_the_secret_invalidates_tokens_and_the_old_key(
    client: TestClient, auth: dict[str, str], ctx: Context
) -> None:
    token = get_token(client, auth, "read")
    assert client.get("/api/v2/courses", headers=bearer(token)).status_code == 200
    with ctx.db.session() as session:
        rotated = rotate_secret(session, auth["X-App-Id"])
    assert rotated is not None
    assert client.get("/api/v2/courses", headers=bearer(token)).status_code == 401
    assert client.get("/api/v2/courses", headers=app_headers(auth)).status_code == 401
    fresh = basic(rotated.app_id, rotated.secret_key)
    assert client.get("/api/v2/courses", headers=fresh).status_code == 200
    assert client.get("/api/v2/courses", headers=bearer(get_token(client, fresh, "read"))).status_code == 200


def test_bearer_wins_over_basic_in_one_header(client: TestClient, auth: dict[str, str]) -> None:
    token = get_token(client, auth, "read")
    both = {"Authorization": f"{auth['Authorization']}, Bearer {token}"}
    assert client.get("/api/v2/courses", headers=both).status_code == 200
    # The token's scope applies, not the Basic credentials' full access.
    assert client.put("/api/v2/courses/c/title", json={"title": "x"}, headers=both).status_code == 403


def test_secrets_are_compared_in_constant_time(
    client: TestClient, auth: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both a known application with a wrong secret and an unknown application go through one constant-time
    comparison, so neither the secret nor the existence of an application id shows in the timing."""
    calls: list[tuple[object, object]] = []
    real = auth_service.hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(auth_service.hmac, "compare_digest", spy)
    for app_id in (auth["X-App-Id"], "NO-SUCH-APP"):
        header = "Basic " + base64.b64encode(f"{app_id}:wrong".encode()).decode()
        assert client.get("/api/v2/courses", headers={"Authorization": header}).status_code == 401
    assert len(calls) == 2
