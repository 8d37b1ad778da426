"""Authentication remembers the credentials that worked (``Context.credentials``): a request it holds them for
asks the database nothing; a failure is never remembered; a secret that changes stops working at once in the process
that changed it and, in the others, once they poll (``cache_poll_seconds``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from coursehost.app import create_app
from coursehost.auth import repository as auth_repo
from coursehost.auth.service import APPLICATIONS, create_application, find_application, hash_secret, rotate_secret
from coursehost.config import Settings
from coursehost.context import Context
from coursehost.kit.invalidation import Invalidations
from tests.integration.conftest import basic
from tests.security.conftest import app_headers, bearer, get_token

TAGS = "/api/v2/courses/missing/tags"  # any operation: it answers 404 once authenticated


class Lookups:
    """Statements that read the applications table, on the service's engine."""

    def __init__(self, ctx: Context) -> None:
        self.engine = ctx.db.engine
        self.count = 0

    def __enter__(self) -> Lookups:
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM applications" in statement:
            self.count += 1


def test_credentials_that_worked_are_not_looked_up_again(
    client: TestClient, auth: dict[str, str], ctx: Context
) -> None:
    headers = app_headers(auth)
    with Lookups(ctx) as first:
        assert client.get(TAGS, headers=headers).status_code == 404
    with Lookups(ctx) as again:
        for _ in range(3):
            assert client.get(TAGS, headers=headers).status_code == 404
    assert (first.count, again.count) == (1, 0)

    token = get_token(client, headers, "read")
    with Lookups(ctx) as first_token:
        assert client.get(TAGS, headers=bearer(token)).status_code == 404
    with Lookups(ctx) as token_again:
        assert client.get(TAGS, headers=bearer(token)).status_code == 404
    assert (first_token.count, token_again.count) == (1, 0)


def test_failures_are_never_remembered(client: TestClient, auth: dict[str, str], ctx: Context) -> None:
    wrong = basic(auth["X-App-Id"], "wrong-secret")
    with Lookups(ctx) as lookups:
        for _ in range(3):
            assert client.get(TAGS, headers=wrong).status_code == 401
    assert lookups.count == 3
    assert len(ctx.credentials) == 0
    # The right (and remembered) secret of another application is no key to this one.
    with ctx.db.session() as session:
        other = create_application(session, "other")
    assert client.get(TAGS, headers=basic(other.app_id, other.secret_key)).status_code == 404
    assert client.get(TAGS, headers=basic(auth["X-App-Id"], other.secret_key)).status_code == 401


def _make(ctx: Context, name: str) -> dict[str, str]:
    with ctx.db.session() as session:
        created = create_application(session, name)
    return basic(created.app_id, created.secret_key) | {"X-App-Id": created.app_id}


def test_a_rotated_secret_stops_working_at_once_in_the_rotating_process(
    client: TestClient, auth: dict[str, str], ctx: Context
) -> None:
    headers = app_headers(auth)
    token = get_token(client, headers, "read")
    assert client.get(TAGS, headers=headers).status_code == 404
    assert client.get(TAGS, headers=bearer(token)).status_code == 404
    with ctx.db.session() as session:
        rotated = rotate_secret(session, auth["X-App-Id"])
    assert rotated is not None
    assert client.get(TAGS, headers=headers).status_code == 401
    assert client.get(TAGS, headers=bearer(token)).status_code == 401
    assert client.get(TAGS, headers=basic(rotated.app_id, rotated.secret_key)).status_code == 404


@pytest.fixture
def second(settings: Settings) -> Iterator[TestClient]:
    """Another service on the same database: what a second process is."""
    with TestClient(create_app(settings)) as other:
        yield other


def test_another_process_stops_accepting_a_rotated_secret_at_its_next_poll(
    client: TestClient, second: TestClient, auth: dict[str, str], ctx: Context
) -> None:
    headers = app_headers(auth)
    token = get_token(client, headers, "read")
    assert second.get(TAGS, headers=headers).status_code == 404
    assert second.get(TAGS, headers=bearer(token)).status_code == 404
    # What another process's rotation looks like from here: the new hash and its event, committed together, told
    # to no cache of this process (kit/invalidation.py's module-level publish would tell them all at once).
    elsewhere = Invalidations(ctx.db)
    with ctx.db.session() as session:
        app = find_application(session, auth["X-App-Id"])
        assert app is not None
        auth_repo.set_secret_hash(session, app, hash_secret("the new secret"))
        elsewhere.publish(session, APPLICATIONS, app.app_id)
    second_ctx: Context = second.app.state.ctx  # type: ignore[attr-defined]
    second_ctx.invalidations.stop()  # its poller would make the stale window below a race
    # Until it polls, its cache still answers (the bound: cache_poll_seconds)...
    assert second.get(TAGS, headers=headers).status_code == 404
    assert second.get(TAGS, headers=bearer(token)).status_code == 404
    assert second_ctx.invalidations.poll() >= 1
    # ...and from its poll on, neither the old secret nor a token issued under it works.
    assert second.get(TAGS, headers=headers).status_code == 401
    assert second.get(TAGS, headers=bearer(token)).status_code == 401
    assert second.get(TAGS, headers=basic(auth["X-App-Id"], "the new secret")).status_code == 404


@pytest.fixture
def small_cache(settings: Settings) -> Settings:
    return settings.model_copy(update={"auth_cache_entries": 2})


def test_the_cache_holds_no_more_than_its_bound(small_cache: Settings) -> None:
    with TestClient(create_app(small_cache)) as client:
        ctx: Context = client.app.state.ctx  # type: ignore[attr-defined]
        apps = [_make(ctx, f"app{n}") for n in range(4)]
        for app in apps:
            assert client.get(TAGS, headers=app_headers(app)).status_code == 404
        assert len(ctx.credentials) == 2
        # Forgotten ones are looked up again, and still work.
        with Lookups(ctx) as lookups:
            assert client.get(TAGS, headers=app_headers(apps[0])).status_code == 404
        assert lookups.count == 1
