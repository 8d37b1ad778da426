"""CORS for the LRS (``/lrs/``): course content calls its LRS from the browser, from the content origin.

Allowed origins: the content origin (``COURSEHOST_CONTENT_URL``, where launched xAPI and cmi5 content runs; the
public origin when content has no origin of its own) and any an operator lists in ``COURSEHOST_XAPI_CORS_ORIGINS``.
With content on its own origin the API's origin is not among them: no page of its needs the LRS. Requests carry
their credentials in the Authorization header (a launch's own credential), never in cookies, so no
``Access-Control-Allow-Credentials`` is sent: a page on an allowed origin can use only the credential it was
given. A preflight (OPTIONS) is answered here, before authentication and version negotiation; a page on another
origin gets an answer without CORS headers, which the browser refuses to use. The API under ``/api/`` has no CORS
at all (kit/security.py).
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coursehost.kit.origins import origin_of

ALLOW_METHODS = "GET, HEAD, PUT, POST, DELETE, OPTIONS"
ALLOW_HEADERS = (
    "Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match, Accept-Language, Content-Length"
)
EXPOSE_HEADERS = "ETag, Last-Modified, X-Experience-API-Consistent-Through, X-Experience-API-Version, Content-Type"
MAX_AGE = "600"


class LrsCorsMiddleware:
    def __init__(self, app: ASGIApp, origins: frozenset[str]) -> None:
        self.app = app
        self.origins = origins

    @classmethod
    def allowed_origins(cls, content_url: str, extra: str) -> frozenset[str]:
        listed = [o for o in (item.strip() for item in extra.split(",")) if o]
        return frozenset(origin_of(url) for url in (content_url, *listed))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/lrs/"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        allowed = origin is not None and origin_of(origin) in self.origins
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            answer = {"Vary": "Origin"}
            if allowed and origin is not None:
                answer |= {
                    "Access-Control-Allow-Origin": origin,
                    "Access-Control-Allow-Methods": ALLOW_METHODS,
                    "Access-Control-Allow-Headers": ALLOW_HEADERS,
                    "Access-Control-Max-Age": MAX_AGE,
                }
            await Response(status_code=204, headers=answer)(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(raw=list(message.get("headers", [])))
                out.append("Vary", "Origin")
                if allowed and origin is not None:
                    out["Access-Control-Allow-Origin"] = origin
                    out["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
                message["headers"] = out.raw
            await send(message)

        await self.app(scope, receive, send_with_cors)
