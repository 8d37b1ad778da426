"""Request limits enforced before any handler runs: query length (414), header size and count (431), body size per
route (413) and a stall timeout while a body is arriving (408).

Uploads (``POST …/upload``) may be as large as the import cap; every other body is JSON or a small form and is held
to ``max_json_bytes``. A declared ``Content-Length`` over the cap is refused before a byte of the body is read; a
body sent without one is counted as it streams. A body that stops arriving for ``body_timeout_seconds`` ends the
request, so a slow sender cannot hold a request open forever (the server reads asynchronously, so it never holds a
worker thread meanwhile). Slow *headers* are cut off by the server protocol (:mod:`coursehost.kit.serving`).

An answer is sent only once the request body has been read (what the handler left unread is read and dropped, up to
the route's cap). Many answers come before the body is needed (409 for an existing course, 400 for a bad parameter,
401): a server that answers and closes while the client is still sending makes the client's TCP stack see a reset,
and some clients (the official JavaScript client, any ``Connection: close`` client) then report ECONNRESET instead
of the answer. A body over the cap, or one the client has not sent because it awaits ``100 Continue``, is not read:
the answer then carries ``Connection: close``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import anyio
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coursehost.kit.handlers import error_response
from coursehost.kit.multipart import MAX_FIELD_BYTES

if TYPE_CHECKING:
    from coursehost.config import Settings

MAX_HEADERS = 100
# A multipart body is the file plus a few form fields and part headers.
MULTIPART_OVERHEAD = 2 * MAX_FIELD_BYTES


@dataclass(frozen=True)
class RequestLimits:
    max_json_bytes: int = 1024**2
    max_upload_bytes: int = 2 * 1024**3
    max_query_bytes: int = 8192
    max_header_bytes: int = 16_384
    body_timeout: float = 60.0
    max_statement_bytes: int = 64 * 1024**2

    @classmethod
    def from_settings(cls, s: Settings) -> RequestLimits:
        return cls(
            s.max_json_bytes,
            s.max_upload_bytes,
            s.max_query_bytes,
            s.max_header_bytes,
            s.body_timeout_seconds,
            s.xapi_max_statement_bytes,
        )


def is_upload(method: str, path: str) -> bool:
    return method == "POST" and path.rstrip("/").endswith("/upload")


def is_statements_write(method: str, path: str) -> bool:
    """An LRS's statements with their attachments (multipart/mixed): held to ``max_statement_bytes``."""
    return method in ("PUT", "POST") and path.startswith("/lrs/") and path.rstrip("/").endswith("/statements")


class RequestLimitsMiddleware:
    def __init__(self, app: ASGIApp, limits: RequestLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limits = self.limits
        if len(scope.get("query_string", b"")) > limits.max_query_bytes:
            await error_response(414, f"The query string is longer than {limits.max_query_bytes} bytes")(
                scope, receive, send
            )
            return
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        if len(headers) > MAX_HEADERS or sum(len(k) + len(v) + 4 for k, v in headers) > limits.max_header_bytes:
            await error_response(431, "The request headers are too large")(scope, receive, send)
            return
        upload = is_upload(scope["method"], scope["path"])
        cap = limits.max_upload_bytes + MULTIPART_OVERHEAD if upload else limits.max_json_bytes
        if is_statements_write(scope["method"], scope["path"]):
            cap = limits.max_statement_bytes
        what = f"The upload is larger than the limit of {limits.max_upload_bytes} bytes" if upload else (
            f"The request body is larger than the limit of {cap} bytes"
        )  # fmt: skip
        declared = next((v for k, v in headers if k == b"content-length"), None)
        if declared is not None and declared.isdigit() and int(declared) > cap:
            await error_response(413, what, {"Connection": "close"})(scope, receive, send)
            return
        body = _LimitedReceive(receive, cap, what, limits.body_timeout)
        if declared in (None, b"0") and not any(k == b"transfer-encoding" for k, _ in headers):
            # HTTP/1.1 sends a body only with one of the two (RFC 9112 §6.3): nothing will arrive to time out or
            # to read before answering, so neither the stall timer nor the drain runs for most GETs.
            body.complete = True
        awaits_continue = any(k == b"expect" and v.lower() == b"100-continue" for k, v in headers)
        await self.app(scope, body, _AnswerAfterBody(send, body, awaits_continue))


class _AnswerAfterBody:
    """The ``send`` of a request: before the answer starts, the rest of the body is read and dropped (see above)."""

    def __init__(self, send: Send, body: _LimitedReceive, awaits_continue: bool) -> None:
        self.send = send
        self.body = body
        self.awaits_continue = awaits_continue

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            if not (self.awaits_continue and self.body.received == 0):
                await self.body.drain()
            if not self.body.complete and not self.body.disconnected:
                headers = MutableHeaders(raw=list(message.get("headers", [])))
                headers["Connection"] = "close"
                message["headers"] = headers.raw
        await self.send(message)


class _LimitedReceive:
    def __init__(self, receive: Receive, cap: int, message: str, timeout: float) -> None:
        self.receive = receive
        self.cap = cap
        self.message = message
        self.timeout = timeout
        self.received = 0
        self.complete = False
        self.disconnected = False
        self.over_cap = False
        self.stalled = False
        self.waiting = 0  # receive() calls in progress

    async def __call__(self) -> Message:
        if self.complete:
            # The body is in; what remains is waiting for a disconnect, which may rightly take as long as the
            # response does (a large download).
            return await self._receive()
        with anyio.move_on_after(self.timeout) as waited:
            message = await self._receive()
        if waited.cancelled_caught:
            self.stalled = True
            raise HTTPException(408, f"The request body stalled for more than {self.timeout:g} seconds")
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.cap:
                self.over_cap = True
                raise HTTPException(413, self.message)
            self.complete = not message.get("more_body", False)
        return message

    async def _receive(self) -> Message:
        self.waiting += 1
        try:
            message = await self.receive()
        finally:
            self.waiting -= 1
        if message["type"] == "http.disconnect":
            self.disconnected = True
        return message

    async def drain(self) -> None:
        """Read and drop the rest of the body, up to the cap. Left alone while another reader is waiting (a streamed
        response listening for the disconnect): that reader takes whatever arrives."""
        while not (self.complete or self.disconnected or self.over_cap or self.stalled or self.waiting):
            try:
                await self()
            except HTTPException:  # over the cap, or stalled: stop reading; the answer closes the connection
                return
