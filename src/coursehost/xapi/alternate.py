"""xAPI 1.0.3's alternate request syntax (Communication 1.3): any request sent as a form POST with ``?method=``.

The form's header fields (Authorization, X-Experience-API-Version, Content-Type, Content-Length, If-Match,
If-None-Match) become the request's headers, ``content`` its body and every other field a query parameter; the
request then goes on as the method it names. The query string may hold nothing but ``method``. xAPI 2.0.0 dropped
the syntax: a request that speaks 2.0 (by its form's or its own version header) is refused.

This middleware runs before version negotiation (the version may be in the form) and outside the request limits,
so it reads the form itself, capped at ``max_json_bytes`` and ``body_timeout_seconds``.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coursehost.kit.handlers import error_response
from coursehost.xapi.versions import HEADER

_HEADER_FIELDS = {"authorization", "x-experience-api-version", "content-type", "content-length", "if-match",
                  "if-none-match"}  # fmt: skip
_METHODS = {"GET", "HEAD", "PUT", "POST", "DELETE"}


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message


class AlternateSyntaxMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/lrs/"):
            await self.app(scope, receive, send)
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        if not any(name == "method" for name, _ in query):
            await self.app(scope, receive, send)
            return
        try:
            scope = await self._rewrite(scope, receive, query)
        except _Refused as exc:
            await error_response(exc.status, exc.message)(scope, receive, send)
            return
        body: bytes = scope.pop("coursehost.alternate_body")
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _rewrite(self, scope: Scope, receive: Receive, query: list[tuple[str, str]]) -> Scope:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if scope["method"] != "POST":
            raise _Refused(400, "The alternate request syntax (?method=) is only sent as a POST")
        if len(query) != 1:
            raise _Refused(400, "With the alternate request syntax, the query string holds only 'method'")
        method = query[0][1].upper()
        if method not in _METHODS:
            raise _Refused(400, f"The alternate request syntax cannot carry the method {query[0][1]!r}")
        if headers.get("content-type", "").split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
            raise _Refused(400, "The alternate request syntax sends an application/x-www-form-urlencoded form")
        raw = await self._read(receive)
        try:
            form = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(raw))
        except (UnicodeDecodeError, ValueError):
            raise _Refused(400, "The alternate request syntax's form is not URL-encoded") from None
        content: str | None = None
        params: list[tuple[str, str]] = []
        new_headers = {k: v for k, v in headers.items() if k not in ("content-type", "content-length")}
        for name, value in form:
            if name.lower() in _HEADER_FIELDS:
                new_headers[name.lower()] = value
            elif name == "content":
                content = value
            else:
                params.append((name, value))
        version = new_headers.get(HEADER.lower(), "")
        if version.strip().startswith("2."):
            raise _Refused(400, "xAPI 2.0 has no alternate request syntax: send the request as itself")
        if method in ("PUT", "POST") and content is None:
            raise _Refused(400, f"An alternate-syntax {method} carries its body in the form's 'content' field")
        body = (content or "").encode("utf-8")
        if content is not None:
            new_headers.setdefault("content-type", "application/json")
        new_headers["content-length"] = str(len(body))
        rewritten = dict(scope)
        rewritten["method"] = method
        rewritten["query_string"] = urlencode(params).encode("latin-1")
        rewritten["headers"] = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in new_headers.items()]
        rewritten["coursehost.alternate_body"] = body
        return rewritten

    async def _read(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            with anyio.move_on_after(self.timeout) as waited:
                message = await receive()
            if waited.cancelled_caught:
                raise _Refused(408, f"The request body stalled for more than {self.timeout:g} seconds")
            if message["type"] != "http.request":
                raise _Refused(400, "The client went away")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise _Refused(413, f"The request body is larger than the limit of {self.max_bytes} bytes")
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)
