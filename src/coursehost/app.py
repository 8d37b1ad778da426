"""The ASGI application: routers under /api/v2, one error handler, and the import workers' lifecycle."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from coursehost import __version__
from coursehost.assets.endpoints import router as assets_router
from coursehost.auth import openapi as auth_openapi
from coursehost.auth.endpoints import router as auth_router
from coursehost.config import Settings, get_settings
from coursehost.content.endpoints import router as content_router
from coursehost.content.store import ContentStore
from coursehost.context import Context
from coursehost.courses.endpoints import router as courses_router
from coursehost.imports.endpoints import router as imports_router
from coursehost.imports.worker import Dispatcher
from coursehost.kit import handlers, openapi, security
from coursehost.kit.db import Database
from coursehost.kit.paths import NormalisePathMiddleware
from coursehost.player.endpoints import router as player_router
from coursehost.settings.endpoints import router as settings_router
from coursehost.storage import open_storage

API_PREFIX = "/api/v2"


def build_context(settings: Settings) -> Context:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.resolved_database_url)
    storage = open_storage(settings.storage_url, settings.data_dir)
    return Context(
        settings=settings,
        db=db,
        storage=storage,
        content=ContentStore(storage, db),
        dispatcher=Dispatcher(settings.import_workers if settings.embedded_workers else 0),
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    ctx = build_context(settings or get_settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ctx.dispatcher.start(ctx)
        try:
            yield
        finally:
            ctx.dispatcher.stop()
            ctx.db.dispose()

    app = FastAPI(
        title="coursehost",
        version=__version__,
        description="A self-hostable server for the SCORM Cloud REST API v2 Course Service.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    handlers.install(app)
    security.install(app, ctx.settings)
    openapi.install(app, auth_openapi.security(f"{API_PREFIX}/oauth/authenticate/application/token"))
    app.include_router(auth_router, prefix=API_PREFIX)
    app.include_router(imports_router, prefix=API_PREFIX)
    app.include_router(courses_router, prefix=API_PREFIX)
    app.include_router(assets_router, prefix=API_PREFIX)
    app.include_router(settings_router, prefix=API_PREFIX)
    app.include_router(content_router)
    app.include_router(player_router)
    app.add_middleware(NormalisePathMiddleware)
    logging.getLogger("coursehost").setLevel(logging.INFO)
    return app
