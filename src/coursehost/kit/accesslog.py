"""The access log (``COURSEHOST_ACCESS_LOG``, on by default), cheap for the request that writes it.

uvicorn's own access log builds a logging record for every request (the caller's frame looked up, thread and
process names read), formats it with colours and writes and flushes it to stdout on the event loop: with getCourse
as cheap as it is now, that cost 30 % of its throughput. Here the outermost middleware only queues a tuple when the
answer starts; a thread of its own formats what queued and writes it in one batch every ``FLUSH_SECONDS``. The
lines read as uvicorn's do without colour: ``INFO:     127.0.0.1:50312 - "GET /api/v2/courses?more=x HTTP/1.1"
200``. What is in them is discussed in docs/security.md (Logging): the client address, the path and query string,
never credentials.
"""

from __future__ import annotations

import queue
import sys
import threading
from typing import TextIO
from urllib.parse import quote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

FLUSH_SECONDS = 0.25

Entry = tuple[str, str, str, bytes, str, int]  # client, method, path, query, HTTP version, status


class AccessLog:
    """The queue and the thread that writes it. The thread wakes every ``FLUSH_SECONDS`` and writes what queued
    meanwhile: waking it for every line would cost the event loop more (the GIL going back and forth) than the line."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stdout
        self._queue: queue.SimpleQueue[Entry] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def add(self, entry: Entry) -> None:
        if self._thread is None:
            self._start()
        self._queue.put(entry)

    def close(self) -> None:
        """Write what is queued and stop the thread (the service's shutdown)."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._stop.set()
            thread.join(timeout=5)

    def _start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._stop.clear()
                self._thread = threading.Thread(target=self._run, name="access-log", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(FLUSH_SECONDS):
            self._write()
        self._write()

    def _write(self) -> None:
        lines = []
        while True:
            try:
                lines.append(line(*self._queue.get_nowait()))
            except queue.Empty:
                break
        if not lines:
            return
        try:
            self.stream.write("".join(lines))
            self.stream.flush()
        except (OSError, ValueError):  # stdout closed: nothing to log to
            pass


def line(client: str, method: str, path: str, query: bytes, version: str, status: int) -> str:
    target = quote(path) + ("?" + query.decode("ascii", "replace") if query else "")
    return f'INFO:     {client} - "{method} {target} HTTP/{version}" {status}\n'


class AccessLogMiddleware:
    """Outermost, so that it sees the request as it arrived and every answer, refusals included."""

    def __init__(self, app: ASGIApp, log: AccessLog) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_logged(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start" and not started:
                started = True
                self._add(scope, message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_logged)
        except BaseException:
            if not started:  # the server answers 500 for it
                self._add(scope, 500)
            raise

    def _add(self, scope: Scope, status: int) -> None:
        client = scope.get("client")
        address = f"{client[0]}:{client[1]}" if client else "-"
        path = scope.get("root_path", "") + scope["path"]
        self.log.add((address, scope["method"], path, scope.get("query_string", b""), scope["http_version"], status))
