"""Keeps web pages, course content above all, from acting on the API (docs/security.md, "Course content cannot
attack the API").

Two rules, applied before routing and before authentication:

* **Two origins, when configured.** With ``COURSEHOST_CONTENT_URL`` on an origin of its own, a request whose Host is
  the content origin's reaches only course content and the player; the API is not there (404). Content and player
  paths asked for on any other host are sent to the content origin (308), so no course file is ever served where
  the API is.
* **The API answers programs, not pages.** A request under ``/api/`` that a browser marks as made by a page is
  refused with 403: ``Sec-Fetch-Site`` other than ``none`` (``none`` is a typed address or a bookmark), or an
  ``Origin`` header (what browsers without fetch metadata send on cross-origin and non-GET requests). A login the
  browser holds therefore never acts for page script. When content has an origin of its own, nothing on the API's
  origin runs content, so the API's own pages (the interactive docs) may call it: ``same-origin`` requests, with an
  ``Origin`` that is the API's own, pass. The public documentation routes are always open.

The official clients and any other program send neither header, so they are unaffected.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from coursehost.kit.handlers import error_response

API_PREFIX = "/api/"
# What the content origin serves: course files at webPathToCourse and the player (its pages, files and run-time).
CONTENT_PREFIXES = ("/content/", "/player/")
DEFAULT_PORTS = {"http": "80", "https": "443"}


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL, lower-cased, without the scheme's default port."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    return f"{scheme}://{host_key(parts.netloc, scheme)}"


def host_key(host: str, scheme: str) -> str:
    """A Host header (or URL netloc) compared without case and without the scheme's default port."""
    host = host.strip().lower()
    default = DEFAULT_PORTS.get(scheme)
    if default and host.endswith(":" + default):
        return host[: -len(default) - 1]
    return host


@dataclass(frozen=True)
class OriginPolicy:
    content_url: str
    # Set when content and player are served on an origin other than the API's.
    content_host: str | None
    open_paths: frozenset[str]
    open_prefixes: tuple[str, ...]

    @classmethod
    def build(
        cls,
        public_url: str,
        content_url: str,
        open_paths: frozenset[str] = frozenset(),
        open_prefixes: tuple[str, ...] = (),
    ) -> OriginPolicy:
        separate = origin_of(content_url) != origin_of(public_url)
        scheme = urlsplit(content_url).scheme.lower()
        content_host = host_key(urlsplit(content_url).netloc, scheme) if separate else None
        return cls(content_url.rstrip("/"), content_host, open_paths, open_prefixes)

    @property
    def separate(self) -> bool:
        return self.content_host is not None

    def is_open(self, path: str) -> bool:
        return path in self.open_paths or path.startswith(self.open_prefixes)


def page_request_refusal(policy: OriginPolicy, headers: Headers, own_origin: str) -> str | None:
    """Why an API request must be refused as coming from a web page, or None to let it through."""
    site = headers.get("sec-fetch-site")
    origin = headers.get("origin")
    same_origin_allowed = policy.separate and (origin is None or origin_of(origin) == own_origin)
    if site is not None and site != "none" and not (site == "same-origin" and same_origin_allowed):
        return f"a web page made this request (Sec-Fetch-Site: {site[:32]})"
    if origin is not None and not same_origin_allowed:
        return "a web page made this request (it carries an Origin header)"
    return None


class OriginGuardMiddleware:
    def __init__(self, app: ASGIApp, policy: OriginPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = self.policy
        path: str = scope["path"]
        headers = Headers(scope=scope)
        scheme: str = scope.get("scheme", "http")
        host = host_key(headers.get("host", ""), scheme)
        content = path.startswith(CONTENT_PREFIXES)
        if policy.separate:
            on_content_host = host == policy.content_host
            if on_content_host and not content:
                await error_response(404, "Not found: this origin serves course content only")(scope, receive, send)
                return
            if content and not on_content_host:
                raw = scope.get("raw_path") or path.encode()
                query = scope.get("query_string", b"")
                target = policy.content_url + raw.decode("latin-1") + ("?" + query.decode("latin-1") if query else "")
                await RedirectResponse(target, status_code=308)(scope, receive, send)
                return
        if path.startswith(API_PREFIX) and not policy.is_open(path):
            why = page_request_refusal(policy, headers, f"{scheme}://{host}")
            if why is not None:
                message = f"The API does not answer web pages: {why}. Call it from a program (see docs/security.md)"
                await error_response(403, message)(scope, receive, send)
                return
        await self.app(scope, receive, send)
