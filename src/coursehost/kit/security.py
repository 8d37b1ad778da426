"""Response headers that keep served course content from turning against the API (docs/security.md).

* Every response: ``X-Content-Type-Options: nosniff``, so a file is never run as something it was not served as.
* API responses (``/api/``): not cached (``no-store``: they carry an application's data), not framable, no referrer,
  and a ``Content-Security-Policy`` of ``default-src 'none'; frame-ancestors 'none'; sandbox`` on everything but
  the interactive docs page, so even a file the API returns (an asset download) can never run script on the API's
  origin. No CORS headers are ever sent, and a credentialed ``Access-Control-Allow-Credentials`` is stripped, so a
  page elsewhere (course content included) cannot read API responses with the user's credentials.
* Course content (``/content/`` and the player's ``/player/s/<session>/content/``) must run its own script, be
  framed by the player or an LMS and reach its SCORM run-time API in the player's window, so it keeps its origin; its
  policy sandboxes everything else: no navigating the top window without a click (frame busting, a phishing page in
  the LMS's place), no ``document.domain``, no plugins' old tricks.
* Which requests reach the API at all is :mod:`coursehost.kit.origins`'s business.
"""

from __future__ import annotations

import re

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coursehost.config import Settings
from coursehost.kit.limits import RequestLimits, RequestLimitsMiddleware
from coursehost.kit.origins import OriginGuardMiddleware, OriginPolicy

API_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"
# Swagger UI's files are served from the package (no CDN); its page starts it with one inline script.
DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
CONTENT_CSP = (
    "sandbox allow-scripts allow-same-origin allow-forms allow-modals allow-popups allow-popups-to-escape-sandbox "
    "allow-downloads allow-pointer-lock allow-presentation allow-orientation-lock "
    "allow-top-navigation-by-user-activation"
)
_PLAYER_CONTENT = re.compile(r"^/player/s/[^/]+/content/")


def is_course_content(path: str) -> bool:
    return path.startswith("/content/") or _PLAYER_CONTENT.match(path) is not None


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
        content = not api and is_course_content(path)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _secured(list(message.get("headers", [])), api, docs, content)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _secured(raw: list[tuple[bytes, bytes]], api: bool, docs: bool, content: bool) -> list[tuple[bytes, bytes]]:
    """The answer's headers with the ones above: each added unless the answer has it, the policy always set. (What
    Starlette's MutableHeaders ``setdefault`` and item assignment do, in one pass over the list: this runs on every
    answer.)"""
    names = {name.lower() for name, _ in raw}
    if api and _CREDENTIALS in names:
        raw = [(name, value) for name, value in raw if name.lower() != _CREDENTIALS]
    defaults = _API_DEFAULTS if api else _DEFAULTS
    raw.extend((name, value) for name, value in defaults if name not in names)
    policy = (_DOCS_CSP if docs else _API_CSP) if api else (_CONTENT_CSP if content else None)
    if policy is not None:
        if _CSP in names:
            at = next(i for i, (name, _) in enumerate(raw) if name.lower() == _CSP)
            raw = [*raw[:at], (_CSP, policy), *((n, v) for n, v in raw[at + 1 :] if n.lower() != _CSP)]
        else:
            raw.append((_CSP, policy))
    return raw


_CREDENTIALS = b"access-control-allow-credentials"
_CSP = b"content-security-policy"
_DEFAULTS = ((b"x-content-type-options", b"nosniff"),)
_API_DEFAULTS = (
    *_DEFAULTS,
    (b"cache-control", b"no-store"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)
_API_CSP, _DOCS_CSP, _CONTENT_CSP = (policy.encode() for policy in (API_CSP, DOCS_CSP, CONTENT_CSP))


def install(app: FastAPI, settings: Settings, docs_paths: frozenset[str], docs_static: str) -> None:
    """Request limits inside, then the origin guard, security headers outside (so a refused request's answer carries
    them too). ``docs_paths`` and ``docs_static`` are the public documentation (pages, document, Swagger UI files)."""
    app.add_middleware(RequestLimitsMiddleware, limits=RequestLimits.from_settings(settings))
    policy = OriginPolicy.build(
        settings.resolved_public_url,
        settings.resolved_content_url,
        open_paths=docs_paths | {p for p in (app.openapi_url,) if p},
        open_prefixes=(docs_static,),
    )
    app.add_middleware(OriginGuardMiddleware, policy=policy)
    app.add_middleware(SecurityHeadersMiddleware, docs_paths=docs_paths)
