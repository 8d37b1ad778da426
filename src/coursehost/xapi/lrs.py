"""The LRS's routes under ``/lrs/{appId}/`` and the middleware every LRS request passes (version negotiation).

Each resource's router is included here; ``install`` adds them and the middleware to the application. The LRS's
routes are not part of the Course Service's OpenAPI document (xAPI is specified by its own standard).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coursehost.config import Settings
from coursehost.kit.errors import CoursehostError
from coursehost.kit.handlers import error_response
from coursehost.models.base import utcnow
from coursehost.xapi.agents_resource import router as agents_router
from coursehost.xapi.alternate import AlternateSyntaxMiddleware
from coursehost.xapi.cors import LrsCorsMiddleware
from coursehost.xapi.documents.endpoints import router as documents_router
from coursehost.xapi.formats import format_timestamp
from coursehost.xapi.statements.endpoints import router as statements_router
from coursehost.xapi.versions import HEADER, XapiVersion, negotiate

PREFIX = "/lrs/{app_id}"
_CONSISTENT = b"x-experience-api-consistent-through"

router = APIRouter(prefix=PREFIX, include_in_schema=False)


@router.api_route("/about", methods=["GET", "HEAD"])  # HEAD like every GET resource (1.0.3 Communication 1.1)
async def about(app_id: str) -> dict[str, Any]:
    # Unauthenticated (xAPI 2.0.0 §2.7.1: the LRS may answer it to anyone): it says nothing about the application.
    return {"version": [XapiVersion.V2.value, XapiVersion.V1.value], "extensions": {}}


router.include_router(statements_router)
router.include_router(documents_router)
router.include_router(agents_router)


class VersionMiddleware:
    """Refuses LRS requests without a supported ``X-Experience-API-Version`` (but ``about`` and CORS preflights),
    remembers the negotiated version in ``scope["state"]["xapi_version"]`` and names it on every answer."""

    def __init__(self, app: ASGIApp, default: XapiVersion = XapiVersion.V2) -> None:
        self.app = app
        # Named in answers to requests that name no version (or one this LRS does not speak).
        self.default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith("/lrs/"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        version = self.default
        exempt = path.rstrip("/").endswith("/about") or scope["method"] == "OPTIONS"
        try:
            if not exempt or HEADER.lower() in headers:
                version = negotiate(headers.get(HEADER.lower()))
        except CoursehostError as exc:
            if not exempt:
                response = error_response(exc.status_code, exc.message, {HEADER: version.value})
                await response(scope, receive, send)
                return
        scope.setdefault("state", {})["xapi_version"] = version

        # xAPI 2.0.0 §4.1.6.1 (XAPI-00153): every answer to GET /statements, errors included, says how current it is.
        statements_read = scope["method"] in ("GET", "HEAD") and path.rstrip("/").endswith("/statements")

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != HEADER.lower().encode()]
                headers.append((HEADER.encode(), version.value.encode()))
                if statements_read and not any(h[0].lower() == _CONSISTENT for h in headers):
                    headers.append((_CONSISTENT, format_timestamp(utcnow()).encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_version)


def install(app: FastAPI, settings: Settings) -> None:
    """The routes; then, outermost last: version negotiation, the 1.0.3 alternate request syntax (whose form may
    carry the version header), CORS (so every answer, refusals included, carries its headers)."""
    app.include_router(router)
    app.add_middleware(VersionMiddleware, default=XapiVersion(settings.xapi_default_version))
    app.add_middleware(
        AlternateSyntaxMiddleware, max_bytes=settings.max_json_bytes, timeout=settings.body_timeout_seconds
    )
    origins = LrsCorsMiddleware.allowed_origins(settings.resolved_content_url, settings.xapi_cors_origins)
    app.add_middleware(LrsCorsMiddleware, origins=origins)
