"""Cache events reach this process's subscribers at commit and other processes' subscribers at their next poll."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from coursehost.kit.db import Database
from coursehost.kit.invalidation import EVENTS, GAP_SECONDS, Invalidations, publish
from coursehost.models import CacheEvent


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


def _listener(inv: Invalidations, topic: str) -> list[str | None]:
    heard: list[str | None] = []
    inv.subscribe(topic, heard.append)
    return heard


def test_the_publishing_process_hears_at_commit_and_not_on_rollback(db: Database) -> None:
    inv = Invalidations(db)
    heard = _listener(inv, "app")
    with db.session() as session:
        inv.publish(session, "app", "A1")
        assert heard == []  # not before the change is visible to others
    assert heard == ["A1"]

    def publish_then_fail() -> None:
        with db.session() as session:
            inv.publish(session, "app", "A2")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        publish_then_fail()
    assert heard == ["A1"]


def test_another_process_hears_at_its_next_poll_only_of_topics_it_subscribed(db: Database) -> None:
    writer, reader = Invalidations(db), Invalidations(db)
    apps, versions = _listener(reader, "app"), _listener(reader, "version")
    reader.poll()  # where it starts: what was there before it is no news to its empty caches
    with db.session() as session:
        writer.publish(session, "app", "A1")
        writer.publish(session, "version", "17")
    assert (apps, versions) == ([], [])
    assert reader.poll() == 2
    assert (apps, versions) == (["A1"], ["17"])
    assert reader.poll() == 0
    assert apps == ["A1"]


def test_an_event_that_commits_after_a_later_id_was_read_is_still_heard(db: Database) -> None:
    clock = Clock()
    writer, reader = Invalidations(db), Invalidations(db, clock=clock)
    heard = _listener(reader, "app")
    reader.poll()
    with db.session() as session:
        for key in ("slow", "fast"):
            writer.publish(session, "app", key)
    # Make it look as if "slow" had not been committed when the reader first polled: hide it, poll, show it.
    with db.session() as session:
        slow_id = session.scalar(select(func.min(CacheEvent.id)))
        session.execute(update(CacheEvent).where(CacheEvent.id == slow_id).values(id=-1))
    reader.poll()
    assert heard == ["fast"]
    with db.session() as session:
        session.execute(update(CacheEvent).where(CacheEvent.id == -1).values(id=slow_id))
    clock.now += GAP_SECONDS / 2
    reader.poll()
    assert heard == ["fast", "slow"]


def test_an_id_never_committed_is_forgotten_after_the_gap_time(db: Database) -> None:
    clock = Clock()
    writer, reader = Invalidations(db), Invalidations(db, clock=clock)
    heard = _listener(reader, "app")
    reader.poll()
    with db.session() as session:
        writer.publish(session, "app", "rolled back")
        writer.publish(session, "app", "kept")
    with db.session() as session:
        first = session.scalar(select(func.min(CacheEvent.id)))
        session.execute(update(CacheEvent).where(CacheEvent.id == first).values(id=-1))
    reader.poll()
    clock.now += GAP_SECONDS + 1
    reader.poll()  # the gap is given up
    with db.session() as session:
        session.execute(update(CacheEvent).where(CacheEvent.id == -1).values(id=first))
    reader.poll()
    assert heard == ["kept"]


def test_a_failing_subscriber_does_not_keep_the_others_stale(db: Database) -> None:
    inv = Invalidations(db)

    def broken(_key: str | None) -> None:
        raise ValueError("broken cache")

    inv.subscribe("app", broken)
    heard = _listener(inv, "app")
    with db.session() as session:
        inv.publish(session, "app", "A1")
    assert heard == ["A1"]


class Unreachable(Database):
    def session(self) -> Iterator[Session]:  # type: ignore[override]
        raise OperationalError("SELECT", {}, Exception("the database is gone"))


def test_when_events_cannot_be_read_every_cache_drops_everything(database_url: str) -> None:
    db = Unreachable(database_url)
    inv = Invalidations(db, poll_seconds=0.01)
    apps, versions = _listener(inv, "app"), _listener(inv, "version")
    inv.start()  # the first read fails too: logged, and the poller goes on
    try:
        for _ in range(500):
            if apps and versions:
                break
            time.sleep(0.01)
    finally:
        inv.stop()
        db.dispose()
    assert None in apps
    assert None in versions


def test_kit_names_the_columns_of_the_model() -> None:
    """kit/invalidation.py writes and reads cache_events through a table of its own (kit depends on no model)."""
    model = CacheEvent.__table__
    assert EVENTS.name == model.name
    assert {c.name for c in EVENTS.columns} == {c.name for c in model.columns}


def test_the_module_publish_tells_every_instance_of_the_process_at_commit(db: Database) -> None:
    """For code with no Context at hand (a service the CLI calls): every cache of this process hears at once, the
    others at their poll."""
    first, second = Invalidations(db), Invalidations(db)
    heard_first, heard_second = _listener(first, "app"), _listener(second, "app")
    second.poll()
    with db.session() as session:
        publish(session, "app", "A1")
        assert heard_first == []
    assert (heard_first, heard_second) == (["A1"], ["A1"])
    assert second.poll() == 1  # the row is there for other processes too (a second telling only drops again)
