"""How a new job wakes this process's idle import workers at once (workers of other processes find it by polling).

The context holds it, so that what queues a job needs nothing of the worker pool (imports/worker.py) that waits on it.
"""

from __future__ import annotations

import threading


class Wakeup:
    def __init__(self) -> None:
        self._event = threading.Event()

    def notify(self) -> None:
        """A job was queued (or the workers should look up from waiting, to stop)."""
        self._event.set()

    def wait(self, timeout: float) -> None:
        """Until notified or ``timeout`` seconds passed; the next wait waits again."""
        self._event.wait(timeout)
        self._event.clear()
