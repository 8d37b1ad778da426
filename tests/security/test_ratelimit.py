"""Failed authentications are limited per client address and per application (429 with Retry-After); successful
ones never are, and an application under attack stays usable from the addresses it is normally used from."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from coursehost.app import create_app
from coursehost.config import Settings
from coursehost.kit.migrate import upgrade
from coursehost.kit.ratelimit import Budget, FailureLimiter
from tests.security.conftest import app_headers, bearer, get_token

PER_ADDRESS = 5
PER_APP = 8


@pytest.fixture
def settings(settings: Settings) -> Settings:
    update = {"auth_max_failures_per_address": PER_ADDRESS, "auth_max_failures_per_app": PER_APP}
    return settings.model_copy(update=update)


def from_address(client: TestClient, address: str) -> TestClient:
    """Another client of the same running app, seen as coming from ``address``."""
    return TestClient(client.app, client=(address, 40000))


def wrong(app_id: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{app_id}:wrong-secret".encode()).decode()}


def test_an_address_is_limited_after_repeated_failures(client: TestClient, auth: dict[str, str]) -> None:
    attacker = from_address(client, "203.0.113.7")
    for _ in range(PER_ADDRESS):
        assert attacker.get("/api/v2/courses", headers=wrong(auth["X-App-Id"])).status_code == 401
    refused = attacker.get("/api/v2/courses", headers=wrong(auth["X-App-Id"]))
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "try again" in refused.json()["message"]
    # Refused without being checked, even with the right secret: otherwise guessing would go on at full speed.
    assert attacker.get("/api/v2/courses", headers=app_headers(auth)).status_code == 429
    # Everyone else is unaffected.
    assert from_address(client, "198.51.100.1").get("/api/v2/courses", headers=app_headers(auth)).status_code == 200


def test_bad_tokens_and_garbage_count_too(client: TestClient, auth: dict[str, str]) -> None:
    attacker = from_address(client, "203.0.113.8")
    token = get_token(client, app_headers(auth), "read")
    for header in ("Bearer forged.token", "Basic !!!", "Bearer x", "Basic Og==", "Bearer " + token[:-3] + "abc"):
        assert attacker.get("/api/v2/courses", headers={"Authorization": header}).status_code == 401
    assert attacker.get("/api/v2/courses", headers=bearer(token)).status_code == 429


def test_no_credentials_at_all_is_not_an_attempt(client: TestClient, auth: dict[str, str]) -> None:
    browser = from_address(client, "203.0.113.9")
    for _ in range(PER_ADDRESS * 2):
        assert browser.get("/api/v2/courses").status_code == 401
    assert browser.get("/api/v2/courses", headers=app_headers(auth)).status_code == 200


def test_successes_are_never_limited(client: TestClient, auth: dict[str, str]) -> None:
    user = from_address(client, "203.0.113.10")
    for _ in range(PER_ADDRESS * 4):
        assert user.get("/api/v2/courses", headers=app_headers(auth)).status_code == 200


def test_an_application_is_limited_across_addresses(client: TestClient, auth: dict[str, str], make_app: Any) -> None:
    app_id = auth["X-App-Id"]
    usual = from_address(client, "198.51.100.20")
    assert usual.get("/api/v2/courses", headers=app_headers(auth)).status_code == 200
    # A distributed guess: each address stays under its own budget, the application's budget runs out.
    for n in range(PER_APP):
        guesser = from_address(client, f"203.0.113.{100 + n}")
        assert guesser.get("/api/v2/courses", headers=wrong(app_id)).status_code == 401
    newcomer = from_address(client, "203.0.113.200")
    refused = newcomer.get("/api/v2/courses", headers=app_headers(auth))
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    # Its usual address keeps working (app ids are public: nobody may lock an application out), and so do
    # other applications, from anywhere.
    assert usual.get("/api/v2/courses", headers=app_headers(auth)).status_code == 200
    other = {k: v for k, v in make_app("other").items() if k != "X-App-Id"}
    assert newcomer.get("/api/v2/courses", headers=other).status_code == 200


def test_services_of_one_database_share_the_counts(
    client: TestClient, auth: dict[str, str], settings: Settings, tmp_path: Path
) -> None:
    """Several processes of one database (``coursehost serve --workers N``) hold one budget: another service on the
    database learns that an address ran out at its poll (``sync``, which its poller runs at start and every
    ``cache_poll_seconds``), or at its own next failure; a service of another database neither sees nor adds to the
    counts (as tests and embedding programs run several services in one process)."""
    address = "203.0.113.30"
    attacker = from_address(client, address)
    for _ in range(PER_ADDRESS):
        assert attacker.get("/api/v2/courses", headers=wrong(auth["X-App-Id"])).status_code == 401
    assert attacker.get("/api/v2/courses", headers=wrong(auth["X-App-Id"])).status_code == 429

    polled, failing = create_app(settings), create_app(settings)
    elsewhere_url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    upgrade(elsewhere_url)
    elsewhere = create_app(settings.model_copy(update={"database_url": elsewhere_url}))
    try:
        limiter = polled.state.ctx.auth_failures
        assert limiter.retry_after(address, None) is None  # not polled yet
        limiter.sync()
        assert limiter.retry_after(address, None) is not None
        assert (
            TestClient(polled, client=(address, 40000)).get("/api/v2/courses", headers=app_headers(auth)).status_code
            == 429
        )

        # Not polled, but its own failure reads the count back: refused from then on.
        from_there = TestClient(failing, client=(address, 40000))
        assert from_there.get("/api/v2/courses", headers=wrong(auth["X-App-Id"])).status_code == 401
        assert from_there.get("/api/v2/courses", headers=app_headers(auth)).status_code == 429

        other_database = elsewhere.state.ctx.auth_failures
        other_database.failed(address, None)
        other_database.sync()
        assert other_database.retry_after(address, None) is None
    finally:
        for app in (polled, failing, elsewhere):
            app.state.ctx.db.dispose()
            app.state.ctx.storage.close()
    limiter = client.app.state.ctx.auth_failures  # type: ignore[attr-defined]
    assert limiter.retry_after(address, None) is not None
    assert attacker.get("/api/v2/courses", headers=app_headers(auth)).status_code == 429


def test_window_and_retry_after() -> None:
    now = [1000.0]
    limiter = FailureLimiter(Budget(window=60, per_address=3, per_app=100), clock=lambda: now[0])
    for step in range(3):
        assert limiter.retry_after("a", "APP") is None
        limiter.failed("a", "APP")
        now[0] += 10 * (step + 1)  # failures at 1000, 1010, 1030
    # now = 1060: the oldest failure leaves the window at 1060 exactly, so one more try is allowed.
    assert limiter.retry_after("a", "APP") is None
    limiter.failed("a", "APP")  # failures at 1010, 1030, 1060
    assert limiter.retry_after("a", "APP") == 10
    now[0] += 9.5
    assert limiter.retry_after("a", "APP") == 1
    now[0] += 0.5
    assert limiter.retry_after("a", "APP") is None
    assert limiter.retry_after("b", "APP") is None
