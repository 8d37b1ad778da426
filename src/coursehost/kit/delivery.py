"""Files answered as raw ASGI messages, for the paths browsers hit dozens of times a page (course content, the
player's static files): no Request or Response objects, no thread for a file already in memory.

What a file answer does, whoever calls it: a strong ``ETag`` (the bytes' SHA-256), ``304`` when ``If-None-Match``
names it (or ``*``), one byte range per request (``206`` with ``Content-Range``, ``416`` past the end; several
ranges, or a malformed header, get the whole file as RFC 9110 allows), ``HEAD`` with the headers of ``GET`` and no
body. The bytes come from memory (``body``), from storage in chunks read on a worker thread (``opener``), or from
a front server that ``accel`` names (nginx's ``X-Accel-Redirect``: coursehost decides the answer's status and
headers, nginx sends the bytes and the ranges; docs/architecture.md, "Production recipe with nginx").
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import BinaryIO

import anyio
import anyio.to_thread
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from coursehost.kit.downloads import CHUNK, byte_range

Headers = list[tuple[bytes, bytes]]


@dataclass(frozen=True, slots=True)
class FileInfo:
    """What the answer's headers say about a file; built once per cached entry."""

    sha256: str
    size: int
    media_type: bytes
    etag: bytes  # the header's value: the quoted SHA-256

    @classmethod
    def of(cls, sha256: str, size: int, media_type: str) -> FileInfo:
        return cls(sha256, size, media_type.encode("latin-1"), b'"' + sha256.encode() + b'"')


def request_headers(scope: Scope) -> tuple[bytes | None, bytes | None]:
    """``If-None-Match`` and ``Range`` of the request, in one pass over its headers."""
    none_match = ranges = None
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            none_match = value
        elif name == b"range":
            ranges = value
    return none_match, ranges


def matches(none_match: bytes | None, etag: bytes) -> bool:
    """Whether ``If-None-Match`` names the file (weak comparison, as RFC 9110 has it for this header)."""
    if none_match is None:
        return False
    for tag in none_match.split(b","):
        tag = tag.strip()
        if tag == b"*" or tag.removeprefix(b"W/") == etag:
            return True
    return False


async def send_file(
    scope: Scope,
    receive: Receive,
    send: Send,
    info: FileInfo,
    headers: Headers,
    *,
    body: bytes | None = None,
    opener: Callable[[], BinaryIO] | None = None,
    accel: bytes | None = None,
) -> None:
    """Answer with the file ``info`` describes. ``headers`` are the answer's own (Cache-Control, …), sent with
    every status. Exactly one of ``body``, ``opener`` and ``accel`` gives the bytes."""
    none_match, ranges = request_headers(scope)
    common = [*headers, (b"etag", info.etag), (b"accept-ranges", b"bytes")]
    if matches(none_match, info.etag):
        await _answer(send, 304, common)
        return
    if accel is not None:
        # The front server answers Range and HEAD itself, from the file it is pointed at (and says Accept-Ranges).
        redirect = [(b"content-type", info.media_type), *headers, (b"etag", info.etag), (b"x-accel-redirect", accel)]
        await _answer(send, 200, redirect)
        return
    typed = [(b"content-type", info.media_type), *common]
    size = info.size
    wanted = byte_range(ranges.decode("latin-1"), size) if ranges is not None else None
    if wanted is False:
        await _answer(send, 416, [*common, (b"content-range", b"bytes */%d" % size), (b"content-length", b"0")])
        return
    status, start, end = (206, *wanted) if isinstance(wanted, tuple) else (200, 0, size - 1)
    length = end - start + 1
    typed.append((b"content-length", b"%d" % length))
    if status == 206:
        typed.append((b"content-range", b"bytes %d-%d/%d" % (start, end, size)))
    if scope["method"] == "HEAD" or length <= 0:
        await _answer(send, status, typed)
    elif body is not None:
        await send({"type": "http.response.start", "status": status, "headers": typed})
        await send({"type": "http.response.body", "body": body[start : end + 1] if status == 206 else body})
    else:
        assert opener is not None
        await _stream(receive, send, status, typed, opener, start, length)


async def _answer(send: Send, status: int, headers: Headers) -> None:
    if not any(name == b"content-length" for name, _ in headers):
        headers = [*headers, (b"content-length", b"0")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


async def _stream(
    receive: Receive, send: Send, status: int, headers: Headers, opener: Callable[[], BinaryIO], start: int, length: int
) -> None:
    """Read ``length`` bytes from ``start`` on a worker thread, a chunk at a time, and stop when the client goes."""
    handle = await anyio.to_thread.run_sync(opener)
    try:
        await anyio.to_thread.run_sync(_skip, handle, start)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        async with anyio.create_task_group() as group:

            async def watch() -> None:
                while (await receive())["type"] != "http.disconnect":
                    pass
                group.cancel_scope.cancel()

            group.start_soon(watch)
            left = length
            while left > 0:
                chunk = await anyio.to_thread.run_sync(handle.read, min(CHUNK, left))
                if not chunk:
                    break  # the blob is shorter than its row says: end here rather than hang
                left -= len(chunk)
                await send({"type": "http.response.body", "body": chunk, "more_body": left > 0})
            if left > 0:
                await send({"type": "http.response.body", "body": b""})
            group.cancel_scope.cancel()
    finally:
        await anyio.to_thread.run_sync(handle.close)


def _skip(handle: BinaryIO, count: int) -> None:
    if count <= 0:
        return
    try:
        handle.seek(count)
        return
    except (AttributeError, OSError):  # storage streams need not be seekable (S3 bodies are not)
        pass
    while count > 0:
        chunk = handle.read(min(CHUNK, count))
        if not chunk:
            return
        count -= len(chunk)


async def send_text(send: Send, status: int, text: str, headers: Headers | None = None) -> None:
    body = text.encode()
    start: Message = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", b"%d" % len(body)),
            *(headers or ()),
        ],
    }
    await send(start)
    await send({"type": "http.response.body", "body": body})


class ASGIAnswer(Response):
    """A route's answer written by an ASGI callable: lets a route that the fast path hands a request on to (a
    parameter spelled in a way only the route reads) answer it with the fast path's own code."""

    def __init__(self, answer: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        super().__init__()
        self.answer = answer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.answer(scope, receive, send)
