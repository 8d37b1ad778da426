"""Failed-authentication limits, per client address and per application, held in process memory.

A sliding window counts failures. An address over its budget is refused outright (429 with Retry-After) until
enough of its failures leave the window, so it cannot keep guessing. Application ids are not secret (they appear in
every ``webPathToCourse``), so refusing *every* request for an application over its budget would let anyone lock
it out; instead, while an application is over budget, only addresses that authenticated for it in the last day
are still heard. Successful authentications are never limited. Each process keeps its own counts.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

MAX_KEYS = 100_000
TRUSTED_SECONDS = 24 * 3600.0


@dataclass(frozen=True)
class Budget:
    window: float
    per_address: int
    per_app: int


class FailureLimiter:
    def __init__(self, budget: Budget, clock: Callable[[], float] = time.monotonic) -> None:
        self.budget = budget
        self.clock = clock
        self._lock = threading.Lock()
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._trusted: OrderedDict[tuple[str, str], float] = OrderedDict()

    def retry_after(self, address: str, app_id: str | None) -> int | None:
        """Seconds until this address may try again for this application, or None when it may try now."""
        with self._lock:
            now = self.clock()
            wait = self._wait(f"addr:{address}", self.budget.per_address, now)
            if wait is None and app_id is not None and not self._is_trusted(app_id, address, now):
                wait = self._wait(f"app:{app_id}", self.budget.per_app, now)
            return None if wait is None else max(1, math.ceil(wait))

    def failed(self, address: str, app_id: str | None) -> None:
        with self._lock:
            now = self.clock()
            self._record(f"addr:{address}", self.budget.per_address, now)
            if app_id is not None:
                self._record(f"app:{app_id}", self.budget.per_app, now)

    def succeeded(self, address: str, app_id: str) -> None:
        with self._lock:
            self._trusted[(app_id, address)] = self.clock()
            self._trusted.move_to_end((app_id, address))
            while len(self._trusted) > MAX_KEYS:
                self._trusted.popitem(last=False)

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
        # Bounded memory: an attacker cycling through made-up app ids or addresses evicts the stalest keys.
        while len(self._failures) > MAX_KEYS:
            self._failures.popitem(last=False)
