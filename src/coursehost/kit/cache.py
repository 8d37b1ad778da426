"""A bounded in-memory cache whose entries are dropped by tag, for what every request would otherwise ask the database.

Reads take no lock (a dict lookup, atomic under the GIL), so a hit costs a lookup and a clock read. Writes and drops
take one. Entries live at most ``max_age`` seconds, and the cache holds at most ``max_entries`` (the oldest go
first). A cache kept correct by kit/invalidation.py subscribes ``drop`` to its topic.

A fill races a drop: a request reads the database, a change commits and drops the tag, and the request then stores
what it read before the change. So a fill takes a ``ticket()`` before it reads, and ``put`` ignores an entry whose
ticket a drop has outdated.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TaggedCache(Generic[K, V]):
    def __init__(self, max_entries: int, max_age: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_entries = max_entries
        self.max_age = max_age
        self.clock = clock
        self._entries: dict[K, tuple[V, str, float]] = {}  # key -> (value, tag, when stored); insertion-ordered
        self._lock = threading.Lock()
        self._epoch = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        if entry is None or self.clock() - entry[2] >= self.max_age:
            return None
        return entry[0]

    def ticket(self) -> int:
        """Take before reading what will be stored; pass to ``put``."""
        return self._epoch

    def put(self, key: K, value: V, tag: str, ticket: int) -> None:
        if self.max_entries <= 0:
            return
        with self._lock:
            if ticket != self._epoch:  # a drop happened since the value was read: it may be stale
                return
            self._entries.pop(key, None)  # re-inserted at the end: the newest
            self._entries[key] = (value, tag, self.clock())
            while len(self._entries) > self.max_entries:
                del self._entries[next(iter(self._entries))]

    def drop(self, tag: str | None) -> None:
        """Forget every entry with this tag (None: every entry), and refuse fills that began before."""
        with self._lock:
            self._epoch += 1
            if tag is None:
                self._entries.clear()
                return
            for key in [k for k, (_, t, _) in self._entries.items() if t == tag]:
                del self._entries[key]
