"""Failed-authentication limits of several processes on one database (kit/ratelimit.py): one budget for all of
them, learnt from their own failures at once and from the others' at the next poll, with trusted addresses shared
too. Each "process" here is a FailureLimiter with an Invalidations of its own on the same database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from coursehost.kit.db import Database
from coursehost.kit.invalidation import Invalidations
from coursehost.kit.ratelimit import FAILURES, TRUST, TRUSTED_SECONDS, Budget, FailureLimiter
from coursehost.models import AuthFailure, AuthTrust, Base

BUDGET = Budget(window=60, per_address=5, per_app=8)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


class Process:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.invalidations = Invalidations(db)
        self.invalidations.poll()  # where it starts reading events from
        self.limiter = FailureLimiter(BUDGET, clock=clock)
        self.limiter.share(db, self.invalidations)

    def poll(self) -> None:
        """What its poller thread does every cache_poll_seconds."""
        self.invalidations.poll()
        self.invalidations.run_poll_tasks()


def test_failures_in_two_processes_count_against_one_budget(db: Database) -> None:
    clock = Clock()
    a, b = Process(db, clock), Process(db, clock)
    for _ in range(3):
        a.limiter.failed("203.0.113.1", None)
    assert b.limiter.retry_after("203.0.113.1", None) is None  # b has seen nothing yet
    b.limiter.failed("203.0.113.1", None)
    assert b.limiter.retry_after("203.0.113.1", None) is None  # 4 of 5
    b.limiter.failed("203.0.113.1", None)
    # b read the count back with its own failure: the fifth is the last, at once.
    assert b.limiter.retry_after("203.0.113.1", None) == 60
    # a had its three; it learns of the others at its next poll (the event b published).
    assert a.limiter.retry_after("203.0.113.1", None) is None
    a.poll()
    assert a.limiter.retry_after("203.0.113.1", None) == 60
    clock.now += 61
    assert a.limiter.retry_after("203.0.113.1", None) is None
    assert b.limiter.retry_after("203.0.113.1", None) is None


def test_a_process_that_starts_later_loads_what_is_over_budget(db: Database) -> None:
    clock = Clock()
    a = Process(db, clock)
    for _ in range(5):
        a.limiter.failed("203.0.113.2", "APP")
    late = Process(db, clock)
    assert late.limiter.retry_after("203.0.113.2", None) is None
    late.poll()  # its first poll runs when it starts (Invalidations.start)
    assert late.limiter.retry_after("203.0.113.2", None) == 60


def test_an_application_over_budget_still_hears_addresses_trusted_in_any_process(db: Database) -> None:
    clock = Clock()
    a, b = Process(db, clock), Process(db, clock)
    a.limiter.succeeded("198.51.100.7", "APP")  # its usual client, served by a
    a.poll()  # a's poller writes the trusted address
    for n in range(BUDGET.per_app):  # a distributed guess, all through b
        b.limiter.failed(f"203.0.113.{100 + n}", "APP")
    # b refuses newcomers but hears the address a trusted (read when the application ran out).
    assert b.limiter.retry_after("203.0.113.250", "APP") is not None
    assert b.limiter.retry_after("198.51.100.7", "APP") is None
    # Trust that comes later, from elsewhere, arrives with the poll.
    a.limiter.succeeded("198.51.100.8", "APP")
    a.poll()
    assert b.limiter.retry_after("198.51.100.8", "APP") is not None
    b.poll()
    assert b.limiter.retry_after("198.51.100.8", "APP") is None
    # Other applications are not affected.
    assert b.limiter.retry_after("203.0.113.250", "OTHER") is None


def test_odd_and_long_keys_are_stored_as_digests(db: Database) -> None:
    clock = Clock()
    a, b = Process(db, clock), Process(db, clock)
    made_up = "A\x00" + "B" * 500  # no database stores the NUL, and the column is shorter
    for n in range(BUDGET.per_app):
        a.limiter.failed(f"203.0.113.{60 + n}", made_up)
    b.poll()
    assert b.limiter.retry_after("203.0.113.99", made_up) is not None
    with db.session() as session:
        keys = set(session.scalars(select(AuthFailure.key)))
    assert all(len(key) <= 160 and "\x00" not in key for key in keys)


def test_old_rows_are_pruned_and_successes_are_written_at_most_hourly(db: Database) -> None:
    clock = Clock()
    a = Process(db, clock)
    a.limiter.failed("203.0.113.3", None)
    for _ in range(5):
        a.limiter.succeeded("198.51.100.9", "APP")
    a.poll()
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(AuthFailure)) == 1
        assert session.scalar(select(func.count()).select_from(AuthTrust)) == 1
    clock.now += TRUSTED_SECONDS + 61  # (and the minute between two prunes is long past)
    a.poll()
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(AuthFailure)) == 0
        assert session.scalar(select(func.count()).select_from(AuthTrust)) == 0


def test_the_migration_creates_the_tables_the_models_describe(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert [d for d in diff if "auth_failures" in repr(d) or "auth_trust" in repr(d)] == []


def test_kit_names_the_columns_of_the_models() -> None:
    """kit/ratelimit.py reads and writes its tables through tables of its own (kit depends on no model)."""
    for mine, model in ((FAILURES, AuthFailure.__table__), (TRUST, AuthTrust.__table__)):
        assert mine.name == model.name
        assert {c.name for c in mine.columns} == {c.name for c in model.columns}
