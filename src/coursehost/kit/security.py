"""Response headers that keep served course content from turning against the API (docs/security.md).

* Every response: ``X-Content-Type-Options: nosniff``, so a file is never run as something it was not served as.
* API responses (``/api/``): not cached (``no-store``: they carry an application's data), not framable, no referrer,
  and a ``Content-Security-Policy`` of ``default-src 'none'; frame-ancestors 'none'; sandbox`` on everything but
  the interactive docs page, so even a file the API returns (an asset download) can never run script on the API's
  origin. No CORS headers are ever sent, and a credentialed ``Access-Control-Allow-Credentials`` is stripped, so a
  page elsewhere (course content included) cannot read API responses with the user's credentials.
* Course content (``/content/``) keeps whatever the content handler set: it must run its own script and be framed
  by the player or an LMS.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coursehost.config import Settings
from coursehost.kit.limits import RequestLimits, RequestLimitsMiddleware

API_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"
# Swagger UI loads its script and styles from a CDN; it still must not be framed (clickjacking).
DOCS_CSP = "frame-ancestors 'none'"


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, docs_paths: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.docs_paths = docs_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        api = path.startswith("/api/")
        docs = path in self.docs_paths

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message.get("headers", [])))
                headers.setdefault("X-Content-Type-Options", "nosniff")
                if api:
                    del headers["Access-Control-Allow-Credentials"]
                    headers.setdefault("Cache-Control", "no-store")
                    headers.setdefault("X-Frame-Options", "DENY")
                    headers.setdefault("Referrer-Policy", "no-referrer")
                    headers["Content-Security-Policy"] = DOCS_CSP if docs else API_CSP
                message["headers"] = headers.raw
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI, settings: Settings) -> None:
    """Request limits inside, security headers outside (so a refused request's answer carries them too)."""
    app.add_middleware(RequestLimitsMiddleware, limits=RequestLimits.from_settings(settings))
    docs = frozenset(p for p in (app.docs_url, app.swagger_ui_oauth2_redirect_url, app.redoc_url) if p)
    app.add_middleware(SecurityHeadersMiddleware, docs_paths=docs)
