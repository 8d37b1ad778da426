"""How caches stay correct when several processes serve the same database (``coursehost serve --workers N``).

A change that a cache may hold (a rotated secret, a deleted version, a patched file list) is *published* in the
transaction that makes it: a row in ``cache_events``. Once that transaction commits, this process's subscribers are
told at once (kit/aftercommit.py); every process's poller reads the table every ``poll_seconds`` and tells its
subscribers of the rows other processes wrote. So a cache entry is stale in another process for at most about
``poll_seconds`` after the commit. Subscribers only ever *drop* entries, so being told twice is harmless.

Ids are handed out when a row is inserted, not when its transaction commits, so on PostgreSQL a reader can see id 7
before id 6 commits. The poller remembers the ids it skipped over and asks for them again for ``GAP_SECONDS``; a
gap still empty after that was a rolled-back transaction. If the database cannot be read, every subscriber is told
to drop everything (``key`` None): a cache that cannot learn of changes must not go on answering from memory.

``Invalidations.publish`` tells its own subscribers at commit (tests run two "processes" in one). Code that has no
``Context`` at hand (a service the CLI calls, such as rotating a secret) uses the module's :func:`publish`, which
tells every ``Invalidations`` of this process at commit: telling a cache of another database to drop an entry
costs it a refill, nothing more. Work that should ride along with the poller (kit/ratelimit.py shares its state this
way) registers with ``every_poll``.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import BigInteger, DateTime, String, column, delete, func, insert, or_, select, table
from sqlalchemy.orm import Session

from coursehost.kit.aftercommit import after_commit
from coursehost.kit.db import Database

log = logging.getLogger(__name__)

GAP_SECONDS = 60.0
KEEP = timedelta(minutes=10)
PRUNE_EVERY_SECONDS = 60.0

# The table's model is models/cache_events.py (migrations, metadata); kit names only the columns it reads and writes,
# since kit depends on no model.
EVENTS = table(
    "cache_events",
    column("id", BigInteger),
    column("topic", String),
    column("key", String),
    column("created", DateTime(timezone=True)),
)

Subscriber = Callable[[str | None], None]
"""Called with the key that changed, or None: drop every entry of the topic."""

_instances: weakref.WeakSet[Invalidations] = weakref.WeakSet()


def publish(session: Session, topic: str, key: str) -> None:
    """Record, in ``session``'s transaction, that what caches hold under (topic, key) changed: every
    ``Invalidations`` of this process hears at commit, other processes at their next poll."""
    session.execute(insert(EVENTS).values(topic=topic, key=key, created=datetime.now(UTC)))
    after_commit(session, lambda: _tell_every(topic, key))


def _tell_every(topic: str, key: str) -> None:
    for instance in list(_instances):
        instance._tell(topic, key)


class Invalidations:
    def __init__(self, db: Database, poll_seconds: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.db = db
        self.poll_seconds = poll_seconds
        self.clock = clock
        self._subscribers: dict[str, list[Subscriber]] = {}
        self._last_id: int | None = None
        self._gaps: dict[int, float] = {}  # id skipped over -> when it was first missed
        self._pruned_at = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._every_poll: list[Callable[[], None]] = []
        _instances.add(self)

    def subscribe(self, topic: str, subscriber: Subscriber) -> None:
        self._subscribers.setdefault(topic, []).append(subscriber)

    def every_poll(self, task: Callable[[], None]) -> None:
        """Run ``task`` on the poller's thread after each poll (its failures are logged, and the poller goes on)."""
        self._every_poll.append(task)

    def publish(self, session: Session, topic: str, key: str) -> None:
        """Record, in ``session``'s transaction, that what caches hold under (topic, key) changed."""
        session.execute(insert(EVENTS).values(topic=topic, key=key, created=datetime.now(UTC)))
        after_commit(session, lambda: self._tell(topic, key))

    def start(self) -> None:
        try:
            self.poll()  # where this process starts reading from
        except Exception:
            log.exception("reading cache events failed; the poller will try again")
        self.run_poll_tasks()  # their first run: what they share with other processes, loaded before serving
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="cache-invalidation", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def poll(self) -> int:
        """Read the events committed since the last poll and tell subscribers; return how many were read."""
        with self.db.session() as session:
            if self._last_id is None:
                # Caches start empty: nothing written before this process started can be stale in it.
                self._last_id = session.scalar(select(func.max(EVENTS.c.id))) or 0
                return 0
            events = EVENTS.c
            wanted = events.id > self._last_id
            if self._gaps:
                wanted = or_(wanted, events.id.in_(list(self._gaps)))
            rows = session.execute(select(events.id, events.topic, events.key).where(wanted).order_by(events.id)).all()
            self._prune(session)
        now = self.clock()
        for event_id, topic, key in rows:
            self._gaps.pop(event_id, None)
            if event_id > self._last_id:
                self._gaps.update(dict.fromkeys(range(self._last_id + 1, event_id), now))
                self._last_id = event_id
            self._tell(topic, key)
        self._gaps = {gap: seen for gap, seen in self._gaps.items() if now - seen < GAP_SECONDS}
        return len(rows)

    def drop_everything(self) -> None:
        for topic in self._subscribers:
            self._tell(topic, None)

    def _prune(self, session: Session) -> None:
        now = self.clock()
        if now - self._pruned_at >= PRUNE_EVERY_SECONDS:
            self._pruned_at = now
            session.execute(delete(EVENTS).where(EVENTS.c.created < datetime.now(UTC) - KEEP))

    def _tell(self, topic: str, key: str | None) -> None:
        for subscriber in self._subscribers.get(topic, ()):
            try:
                subscriber(key)
            except Exception:  # one cache's failure must not keep the others stale
                log.exception("cache subscriber for %r failed", topic)

    def _run(self) -> None:
        while not self._stop.wait(self.poll_seconds):
            try:
                self.poll()
            except Exception:
                log.exception("reading cache events failed; dropping every cached entry")
                self.drop_everything()
            self.run_poll_tasks()

    def run_poll_tasks(self) -> None:
        for task in self._every_poll:
            try:
                task()
            except Exception:
                log.exception("a task run with the cache poller failed")
