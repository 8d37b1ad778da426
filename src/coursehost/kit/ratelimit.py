"""Failed-authentication limits, per client address and per application, shared by every process of a database.

A sliding window counts failures. An address over its budget is refused outright (429 with Retry-After) until
enough of its failures leave the window, so it cannot keep guessing. Application ids are not secret (they appear in
every ``webPathToCourse``), so refusing *every* request for an application over its budget would let anyone lock
it out; instead, while an application is over budget, only addresses that authenticated for it in the last day
are still heard. Successful authentications are never limited.

The check before authenticating (``retry_after``) never touches the database: it reads this process's view. With
``share`` (what every service does), the view holds the counts of every process on the database:

* each failure is written (``auth_failures``; failures are rare, so a write each is fine) in the request's own
  transaction, and the window's count of its keys read back in it, so a process learns of the others' failures
  the next time it sees one itself;
* a key that reaches its limit is published (kit/invalidation.py), and every other process reloads it at its next
  poll (``cache_poll_seconds``);
* successes are never written on the request path: the addresses an application was used from are written behind
  it by the poller (``auth_trust``, at most once an hour per pair), and loaded for an application over its budget.

So a budget can be overshot only by attempts a process let through before it knew: with N processes, at most one
attempt per other process plus those already in flight (past the check, not yet failed) when the budget ran out.
A process that fails nothing meanwhile learns within ``cache_poll_seconds``; until then it still hears the address
(with the right secret it succeeds, as it would have before the block; a wrong one is a failure, read back at once).
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import BigInteger, Float, String, column, delete, func, insert, select, table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from coursehost.kit.db import Database
from coursehost.kit.invalidation import Invalidations

# The tables' models are models/auth_limits.py (migrations, metadata); kit names only the columns it uses, since kit
# depends on no model.
FAILURES = table("auth_failures", column("id", BigInteger), column("key", String), column("at", Float))
TRUST = table("auth_trust", column("app_id", String), column("address", String), column("seen", Float))

log = logging.getLogger(__name__)

MAX_KEYS = 100_000
TRUSTED_SECONDS = 24 * 3600.0
# A pair already written is written again (its ``seen`` moved on) at most this often.
TRUST_REFRESH_SECONDS = 3600.0
# A success moves the address's trust stamp on at most this often (every request would cost the lock for nothing).
TRUST_TOUCH_SECONDS = 60.0
PRUNE_EVERY_SECONDS = 60.0
TOPIC = "auth-failures"
KEY_MAX = 160
ADDRESS_MAX = 160


@dataclass(frozen=True)
class Budget:
    window: float
    per_address: int
    per_app: int


def _key(kind: str, value: str) -> str:
    """The counting key: plain when it is short printable text, a digest otherwise (an app id a client made up may
    be long, or hold characters a database cannot store)."""
    key = f"{kind}:{value}"
    if len(key) <= KEY_MAX and key.isprintable():
        return key
    return f"{kind}#sha256:{hashlib.sha256(value.encode('utf-8', 'surrogatepass')).hexdigest()}"


class FailureLimiter:
    def __init__(self, budget: Budget, clock: Callable[[], float] = time.time) -> None:
        self.budget = budget
        self.clock = clock  # wall-clock seconds: shared rows are compared across processes
        self._lock = threading.Lock()
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._trusted: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._db: Database | None = None
        self._invalidations: Invalidations | None = None
        self._stale: set[str] = set()  # keys other processes reported over their limit: reload at the next poll
        self._unwritten: dict[tuple[str, str], float] = {}  # trusted pairs the poller has to write
        self._written: OrderedDict[tuple[str, str], float] = OrderedDict()  # when each pair was last written
        self._blocked_apps: set[str] = set()  # applications seen over their budget: their trusted pairs are loaded
        self._pruned_at = 0.0
        self._loaded = False  # whether the keys over their limit when this process started were read

    def share(self, db: Database, invalidations: Invalidations) -> None:
        """Count with every process on ``db``: failures and trusted addresses go through its tables."""
        self._db = db
        self._invalidations = invalidations
        invalidations.subscribe(TOPIC, self._heard)
        invalidations.every_poll(self.sync)

    # ------------------------------------------------------------------------------------------ the request path

    def retry_after(self, address: str, app_id: str | None) -> int | None:
        """Seconds until this address may try again for this application, or None when it may try now."""
        if not self._failures:  # no failure in view at all: the usual case, answered without the lock
            return None
        with self._lock:
            now = self.clock()
            wait = self._wait(_key("addr", address), self.budget.per_address, now)
            if wait is None and app_id is not None and not self._is_trusted(app_id, address, now):
                wait = self._wait(_key("app", app_id), self.budget.per_app, now)
            return None if wait is None else max(1, math.ceil(wait))

    def failed(self, address: str, app_id: str | None, session: Session | None = None) -> None:
        """Count a failure. Shared, it is written in ``session``'s transaction, which is then committed (the caller
        answers 401 next, so nothing else of it is to be kept), or in a transaction of its own."""
        keys = [(_key("addr", address), self.budget.per_address)]
        if app_id is not None:
            keys.append((_key("app", app_id), self.budget.per_app))
        with self._lock:
            now = self.clock()
            for key, limit in keys:
                self._record(key, limit, now)
        if self._db is None:
            return
        try:
            if session is None:
                with self._db.session() as own:
                    self._write(own, keys, app_id, now)
            else:
                self._write(session, keys, app_id, now)
                session.commit()
        except SQLAlchemyError:
            # The failure still counts here; the other processes miss it. Authentication goes on answering 401.
            log.exception("recording a failed authentication in the database failed")
            if session is not None:
                session.rollback()

    def succeeded(self, address: str, app_id: str) -> None:
        pair = (app_id, address)
        now = self.clock()
        seen = self._trusted.get(pair)
        if seen is not None and now - seen < TRUST_TOUCH_SECONDS:  # trust lasts a day: a minute's precision is plenty
            return
        with self._lock:
            self._trusted[pair] = now
            self._trusted.move_to_end(pair)
            while len(self._trusted) > MAX_KEYS:
                self._trusted.popitem(last=False)
            if self._db is not None:
                written = self._written.get(pair)
                fits = len(address) <= ADDRESS_MAX and address.isprintable()  # what the column can hold
                if fits and (written is None or now - written >= TRUST_REFRESH_SECONDS):
                    self._unwritten[pair] = now
                    self._written[pair] = now
                    self._written.move_to_end(pair)
                    while len(self._written) > MAX_KEYS:
                        self._written.popitem(last=False)

    # ------------------------------------------------------------------------------------- sharing with others

    def _write(self, session: Session, keys: list[tuple[str, int]], app_id: str | None, now: float) -> None:
        session.execute(insert(FAILURES), [{"key": key, "at": now} for key, _ in keys])
        names = [key for key, _ in keys]
        stamps = self._read(session, names, now)
        over = [key for key, limit in keys if len(stamps.get(key, ())) >= limit]
        trusted: list[tuple[str, float]] = []
        app_key = _key("app", app_id) if app_id is not None else None
        # Only a real application id (stored as itself) can have trusted addresses; a made-up one counts as a digest.
        if app_id is not None and app_key in over and app_key == f"app:{app_id}":
            trusted = self._read_trusted(session, app_id, now)
        assert self._invalidations is not None
        for key in over:
            self._invalidations.publish(session, TOPIC, key)
        with self._lock:
            self._merge({key: stamps.get(key, []) for key in names}, now)
            self._merge_trusted(app_id, trusted)

    def _read(self, session: Session, keys: Iterable[str], now: float) -> dict[str, list[float]]:
        rows = session.execute(
            select(FAILURES.c.key, FAILURES.c.at)
            .where(FAILURES.c.key.in_(list(keys)), FAILURES.c.at > now - self.budget.window)
            .order_by(FAILURES.c.at)
        )
        found: dict[str, list[float]] = {}
        for key, at in rows:
            found.setdefault(key, []).append(at)
        return found

    def _read_trusted(self, session: Session, app_id: str, now: float) -> list[tuple[str, float]]:
        rows = session.execute(
            select(TRUST.c.address, TRUST.c.seen).where(TRUST.c.app_id == app_id, TRUST.c.seen > now - TRUSTED_SECONDS)
        )
        return [(address, seen) for address, seen in rows]

    def _heard(self, key: str | None) -> None:
        if key is not None:
            with self._lock:
                self._stale.add(key)

    def sync(self) -> None:
        """The poller's part (kit/invalidation.py ``every_poll``): reload the keys other processes reported, write
        the addresses that authenticated, load the trusted addresses of applications over budget, prune."""
        if self._db is None:
            return
        with self._lock:
            now = self.clock()
            stale, self._stale = self._stale, set()
            unwritten, self._unwritten = self._unwritten, {}
            self._blocked_apps = {
                app for app in self._blocked_apps if self._wait(_key("app", app), self.budget.per_app, now) is not None
            }
            blocked_apps = list(self._blocked_apps)
            prune = now - self._pruned_at >= PRUNE_EVERY_SECONDS
        if not (stale or unwritten or blocked_apps or prune or not self._loaded):
            return
        try:
            with self._db.session() as session:
                if not self._loaded:  # the events that reported them were published before this process polled
                    stale |= self._over_in_database(session, now)
                stamps = self._read(session, stale, now) if stale else {}
                if unwritten:
                    self._write_trusted(session, unwritten)
                trusted = {app_id: self._read_trusted(session, app_id, now) for app_id in blocked_apps}
                if prune:
                    session.execute(delete(FAILURES).where(FAILURES.c.at <= now - self.budget.window))
                    session.execute(delete(TRUST).where(TRUST.c.seen <= now - TRUSTED_SECONDS))
        except SQLAlchemyError:
            with self._lock:  # try again at the next poll
                self._stale |= stale
                self._unwritten = unwritten | self._unwritten
            raise
        with self._lock:
            self._loaded = True
            if prune:
                self._pruned_at = now
            self._merge({key: stamps.get(key, []) for key in stale}, now)
            for app_id, pairs in trusted.items():
                self._merge_trusted(app_id, pairs)

    def _over_in_database(self, session: Session, now: float) -> set[str]:
        least = min(self.budget.per_address, self.budget.per_app)
        rows = session.execute(
            select(FAILURES.c.key, func.count())
            .where(FAILURES.c.at > now - self.budget.window)
            .group_by(FAILURES.c.key)
            .having(func.count() >= least)
        )
        return {key for key, count in rows if count >= self._limit(key)}

    def _limit(self, key: str) -> int:
        return self.budget.per_address if key.startswith("addr") else self.budget.per_app

    def _write_trusted(self, session: Session, pairs: dict[tuple[str, str], float]) -> None:
        rows = [{"app_id": app, "address": address, "seen": seen} for (app, address), seen in pairs.items()]
        dialect = session.get_bind().dialect.name
        stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(TRUST)
        upsert = stmt.on_conflict_do_update(index_elements=["app_id", "address"], set_={"seen": stmt.excluded.seen})
        session.execute(upsert, rows)

    # ------------------------------------------------------------------------------- the view (under the lock)

    def _merge(self, found: dict[str, list[float]], now: float) -> None:
        """Fold what the database holds for these keys into the view (failures of this process that are not
        committed yet stay in it)."""
        for key, stamps in found.items():
            limit = self._limit(key)
            # Counted as multisets (two failures may share a stamp): what either side saw of each moment, at most.
            merged = sorted((Counter(self._recent(key, now) or ()) | Counter(stamps)).elements())
            if not merged:
                continue
            self._failures[key] = deque(merged[-limit:], maxlen=limit)
            self._failures.move_to_end(key)
            self._note_blocked(key, limit)
        while len(self._failures) > MAX_KEYS:
            self._failures.popitem(last=False)

    def _merge_trusted(self, app_id: str | None, pairs: list[tuple[str, float]]) -> None:
        for address, seen in pairs:
            pair = (app_id or "", address)
            if self._trusted.get(pair, 0.0) < seen:
                self._trusted[pair] = seen
        while len(self._trusted) > MAX_KEYS:
            self._trusted.popitem(last=False)

    def _note_blocked(self, key: str, limit: int) -> None:
        # Only real application ids have trusted addresses; a made-up long one is counted under its digest.
        if key.startswith("app:") and len(self._failures[key]) >= limit and len(self._blocked_apps) < MAX_KEYS:
            self._blocked_apps.add(key.removeprefix("app:"))

    def _is_trusted(self, app_id: str, address: str, now: float) -> bool:
        seen = self._trusted.get((app_id, address))
        return seen is not None and now - seen < TRUSTED_SECONDS

    def _recent(self, key: str, now: float) -> deque[float] | None:
        stamps = self._failures.get(key)
        if stamps is None:
            return None
        while stamps and stamps[0] <= now - self.budget.window:
            stamps.popleft()
        if not stamps:
            del self._failures[key]
            return None
        return stamps

    def _wait(self, key: str, limit: int, now: float) -> float | None:
        stamps = self._recent(key, now)
        if stamps is None or len(stamps) < limit:
            return None
        # Blocked until enough failures age out to fall below the limit again.
        return stamps[len(stamps) - limit] + self.budget.window - now

    def _record(self, key: str, limit: int, now: float) -> None:
        stamps = self._recent(key, now)
        if stamps is None:
            stamps = self._failures[key] = deque(maxlen=limit)
        stamps.append(now)
        self._failures.move_to_end(key)
        self._note_blocked(key, limit)
        # Bounded memory: an attacker cycling through made-up app ids or addresses evicts the stalest keys.
        while len(self._failures) > MAX_KEYS:
            self._failures.popitem(last=False)
