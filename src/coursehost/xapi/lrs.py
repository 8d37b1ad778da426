"""The LRS's routes under ``/lrs/{appId}/`` and the middleware every LRS request passes (version negotiation).

Each resource's router is included here; ``install`` adds them and the middleware to the application. The LRS's
routes are not part of the Course Service's OpenAPI document (xAPI is specified by its own standard).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coursehost.kit.errors import CoursehostError
from coursehost.kit.handlers import error_response
from coursehost.xapi.agents_resource import router as agents_router
from coursehost.xapi.documents.endpoints import router as documents_router
from coursehost.xapi.versions import HEADER, XapiVersion, negotiate

PREFIX = "/lrs/{app_id}"

router = APIRouter(prefix=PREFIX, include_in_schema=False)


@router.get("/about")
async def about(app_id: str) -> dict[str, Any]:
    # Unauthenticated (xAPI 2.0.0 §2.7.1: the LRS may answer it to anyone): it says nothing about the application.
    return {"version": [XapiVersion.V2.value, XapiVersion.V1.value], "extensions": {}}


router.include_router(documents_router)
router.include_router(agents_router)


class VersionMiddleware:
    """Refuses LRS requests without a supported ``X-Experience-API-Version`` (but ``about`` and CORS preflights),
    remembers the negotiated version in ``scope["state"]["xapi_version"]`` and names it on every answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith("/lrs/"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        version = XapiVersion.V2
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

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *(h for h in message.get("headers", []) if h[0].lower() != HEADER.lower().encode()),
                    (HEADER.encode(), version.value.encode()),
                ]
            await send(message)

        await self.app(scope, receive, send_with_version)


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.add_middleware(VersionMiddleware)
