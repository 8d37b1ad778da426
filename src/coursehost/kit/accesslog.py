"""uvicorn's access log, made cheap for the request that writes it (``COURSEHOST_ACCESS_LOG=true``).

uvicorn's own handler formats each line with colours and a status phrase lookup, then writes and flushes it to
stdout, all on the event loop: a system call per request. Here a request only queues its record; a thread of its own
formats the lines plainly and writes them in batches, flushing once per batch (at most ``FLUSH_SECONDS`` after a
line was queued). The lines read as uvicorn's do without colour: ``INFO:     127.0.0.1:50312 - "GET /api/v2/courses
HTTP/1.1" 200``. What is in them is discussed in docs/security.md (Logging): paths and query strings, never
credentials.
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
from typing import Any, TextIO

FLUSH_SECONDS = 0.5
BATCH = 512


class AccessLogHandler(logging.Handler):
    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__()
        self.stream = stream if stream is not None else sys.stdout
        self._queue: queue.SimpleQueue[logging.LogRecord | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._write, name="access-log", daemon=True)
        self._thread.start()

    def emit(self, record: logging.LogRecord) -> None:
        self._queue.put(record)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=5)
        super().close()

    def _write(self) -> None:
        while True:
            try:
                record = self._queue.get(timeout=FLUSH_SECONDS)
            except queue.Empty:
                continue
            lines = []
            while record is not None:
                lines.append(_line(record))
                if len(lines) >= BATCH:
                    break
                try:
                    record = self._queue.get_nowait()
                except queue.Empty:
                    break
            try:
                self.stream.write("".join(lines))
                self.stream.flush()
            except (OSError, ValueError):  # stdout closed: nothing to log to
                pass
            if record is None:
                return


def _line(record: logging.LogRecord) -> str:
    args: Any = record.args
    try:
        client, method, path, version, status = args
        return f'{record.levelname + ":":<9} {client} - "{method} {path} HTTP/{version}" {status}\n'
    except (TypeError, ValueError):  # not the shape uvicorn logs: as the record says
        return f"{record.levelname + ':':<9} {record.getMessage()}\n"


def logging_config(base: dict[str, Any]) -> dict[str, Any]:
    """uvicorn's logging configuration ``base`` with its access lines going through :class:`AccessLogHandler`."""
    config = dict(base)
    config["handlers"] = dict(base["handlers"]) | {"access": {"()": f"{__name__}.AccessLogHandler"}}
    return config
