"""RequestLimitsMiddleware answers only once the request body is in (kit/limits.py), however early the app answers."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from starlette.types import Message, Receive, Scope, Send

from coursehost.kit.limits import RequestLimits, RequestLimitsMiddleware

CHUNK = b"x" * 1000


async def answers_at_once(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 409, "headers": [(b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})


class Client:
    """The server side of one request: the body arrives in chunks; records what was read when the answer started."""

    def __init__(self, chunks: int) -> None:
        self.pending: list[Message] = [
            {"type": "http.request", "body": CHUNK, "more_body": i < chunks - 1} for i in range(chunks)
        ]
        self.read = 0
        self.read_when_answered: int | None = None
        self.headers: dict[bytes, bytes] = {}

    async def receive(self) -> Message:
        if not self.pending:
            await anyio.sleep_forever()
        self.read += 1
        return self.pending.pop(0)

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.read_when_answered = self.read
            self.headers = dict(message["headers"])


def scope(length: int, **headers: bytes) -> dict[str, Any]:
    raw = [(b"content-length", str(length).encode())] + [(k.encode(), v) for k, v in headers.items()]
    return {"type": "http", "method": "POST", "path": "/api/v2/courses/importJobs/upload", "headers": raw}


def run(client: Client, request: dict[str, Any], upload_cap: int = 10_000) -> None:
    limits = RequestLimits(max_upload_bytes=upload_cap, body_timeout=5)
    middleware = RequestLimitsMiddleware(answers_at_once, limits)
    anyio.run(middleware, request, client.receive, client.send)


@pytest.mark.parametrize("chunks", [1, 5, 50])
def test_the_rest_of_the_body_is_read_before_an_early_answer(chunks: int) -> None:
    client = Client(chunks)
    run(client, scope(chunks * len(CHUNK)), upload_cap=10 * 1024 * 1024)
    assert client.read_when_answered == chunks
    assert b"connection" not in client.headers  # the connection stays usable


def test_reading_stops_at_the_cap_and_the_answer_closes_the_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("coursehost.kit.limits.MULTIPART_OVERHEAD", 0)
    client = Client(50)
    run(client, scope(0, **{"transfer-encoding": b"chunked"}), upload_cap=10 * len(CHUNK))
    assert client.read_when_answered == 11  # the chunk that went past the cap is the last one read
    assert client.headers[b"connection"] == b"close"


def test_a_client_awaiting_100_continue_is_not_read_from() -> None:
    client = Client(5)
    run(client, scope(5 * len(CHUNK), expect=b"100-continue"))
    assert client.read_when_answered == 0  # reading would have asked the client to send the body
    assert client.headers[b"connection"] == b"close"
