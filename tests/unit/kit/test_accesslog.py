"""The access log: a line per answer, as uvicorn writes them without colour, written by a thread of its own."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import pytest

from coursehost.kit.accesslog import AccessLog, AccessLogMiddleware


async def answer(status: int, scope: Any, receive: Any, send: Any) -> None:
    if status == 0:
        raise RuntimeError("the app failed before answering")
    await send({"type": "http.response.start", "status": status, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def call(middleware: AccessLogMiddleware, path: str, query: bytes = b"") -> None:
    scope = {
        "type": "http", "method": "GET", "path": path, "query_string": query, "http_version": "1.1",
        "client": ("127.0.0.1", 50312), "root_path": "",
    }  # fmt: skip

    async def receive() -> Any:
        return {"type": "http.request", "body": b""}

    async def send(_message: Any) -> None:
        pass

    asyncio.run(middleware(scope, receive, send))


def test_each_answer_is_one_line() -> None:
    stream = io.StringIO()
    log = AccessLog(stream)
    statuses = iter([200, 404, 0])
    middleware = AccessLogMiddleware(lambda s, r, w: answer(next(statuses), s, r, w), log)
    call(middleware, "/api/v2/courses", b"more=x")
    call(middleware, "/api/v2/courses/a b")
    with pytest.raises(RuntimeError):
        call(middleware, "/api/v2/courses/c")
    log.close()  # writes what is queued, then stops its thread
    assert stream.getvalue().splitlines() == [
        'INFO:     127.0.0.1:50312 - "GET /api/v2/courses?more=x HTTP/1.1" 200',
        'INFO:     127.0.0.1:50312 - "GET /api/v2/courses/a%20b HTTP/1.1" 404',
        'INFO:     127.0.0.1:50312 - "GET /api/v2/courses/c HTTP/1.1" 500',
    ]
