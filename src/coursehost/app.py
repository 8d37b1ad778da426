"""The ASGI application: routers under /api/v2, one error handler, and the import workers' lifecycle."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from coursehost import __version__
from coursehost.assets.endpoints import router as assets_router
from coursehost.auth import openapi as auth_openapi
from coursehost.auth.endpoints import router as auth_router
from coursehost.auth.service import APPLICATIONS
from coursehost.config import Settings, get_settings
from coursehost.configuration.endpoints import router as configuration_router
from coursehost.content.cache import CacheLimits
from coursehost.content.delivery import PREFIX as CONTENT_PREFIX
from coursehost.content.delivery import ContentFiles, Delivery
from coursehost.content.endpoints import router as content_router
from coursehost.content.store import ContentStore
from coursehost.context import Context, CredentialCache
from coursehost.courses.endpoints import direct_routes as courses_direct_routes
from coursehost.courses.endpoints import router as courses_router
from coursehost.imports.endpoints import router as imports_router
from coursehost.imports.worker import Dispatcher
from coursehost.kit import handlers, openapi, security
from coursehost.kit.accesslog import AccessLog, AccessLogMiddleware
from coursehost.kit.db import Database
from coursehost.kit.fastpath import FastPathMiddleware
from coursehost.kit.invalidation import Invalidations
from coursehost.kit.origins import OriginPolicy
from coursehost.kit.paths import NormalisePathMiddleware
from coursehost.kit.ratelimit import Budget, FailureLimiter
from coursehost.kit.serving import freeze_heap
from coursehost.player import errors as player_errors
from coursehost.player.delivery import SESSIONS_PREFIX, STATIC_PREFIX, LiveSessions, PlayerContent, PlayerStatic
from coursehost.player.endpoints import router as player_router
from coursehost.storage import open_storage
from coursehost.xapi import lrs
from coursehost.xapi.course_statements.endpoints import router as course_statements_router
from coursehost.xapi.credentials.endpoints import router as xapi_credentials_router

API_PREFIX = "/api/v2"
DOCS_URL = f"{API_PREFIX}/docs"
# Swagger UI's own files, from the fastapi-offline distribution: the docs page needs no outside host.
DOCS_STATIC = f"{DOCS_URL}/static"


def build_context(settings: Settings) -> Context:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.resolved_database_url)
    storage = open_storage(settings.storage_url, settings.data_dir)
    invalidations = Invalidations(db, settings.cache_poll_seconds)
    limits = CacheLimits(blob_bytes=settings.content_memory_bytes)
    budget = Budget(
        settings.auth_failure_window_seconds, settings.auth_max_failures_per_address, settings.auth_max_failures_per_app
    )
    invalidations = Invalidations(db, settings.cache_poll_seconds)
    auth_failures = FailureLimiter(budget)
    auth_failures.share(db, invalidations)
    credentials = CredentialCache(settings.auth_cache_entries, settings.auth_cache_seconds)
    invalidations.subscribe(APPLICATIONS, credentials.drop)
    return Context(
        settings=settings,
        db=db,
        storage=storage,
        content=ContentStore(storage, db, invalidations, limits),
        auth_failures=auth_failures,
        invalidations=invalidations,
        credentials=credentials,
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    ctx = build_context(settings or get_settings())
    dispatcher = Dispatcher(ctx, ctx.settings.import_workers if ctx.settings.embedded_workers else 0)
    access_log = AccessLog() if ctx.settings.access_log else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ctx.invalidations.start()
        ctx.db.start_reads()
        dispatcher.start()
        try:
            yield
        finally:
            dispatcher.stop()
            ctx.invalidations.stop()
            await ctx.db.stop_reads()
            ctx.storage.close()
            ctx.db.dispose()
            if access_log is not None:
                access_log.close()

    settings = ctx.settings
    separate_content = OriginPolicy.build(settings.resolved_public_url, settings.resolved_content_url).separate
    app = FastAPIOffline(
        title="coursehost",
        version=__version__,
        description="A self-hostable server for the SCORM Cloud REST API v2 Course Service.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=DOCS_URL,
        redoc_url=None,
        static_url=DOCS_STATIC,
        favicon_url=f"{DOCS_STATIC}/favicon.png",
        swagger_ui_oauth2_redirect_url=f"{DOCS_URL}/oauth2-redirect",
        # "Try it out" only where the API answers the docs page: with course content on an origin of its own
        # (kit/origins.py). No validator badge: it would load an image from validator.swagger.io.
        swagger_ui_parameters={"validatorUrl": None} | ({} if separate_content else {"supportedSubmitMethods": []}),
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    handlers.install(app)
    player_errors.install(app)
    # Innermost of the middlewares: what the fast paths answer still passes the limits, the origin guard and the
    # security headers installed next (kit/fastpath.py).
    delivery = Delivery(ctx)
    app.state.content_files = ContentFiles(delivery)
    app.state.player_content = PlayerContent(delivery, LiveSessions(ctx.invalidations))
    fast_paths = [
        (CONTENT_PREFIX, app.state.content_files),
        (SESSIONS_PREFIX, app.state.player_content),
        (STATIC_PREFIX, PlayerStatic()),
    ]
    app.add_middleware(FastPathMiddleware, handlers=fast_paths)
    docs = frozenset((DOCS_URL, f"{DOCS_URL}/oauth2-redirect"))
    security.install(app, settings, docs_paths=docs, docs_static=DOCS_STATIC + "/")
    openapi.install(app, auth_openapi.security(f"{API_PREFIX}/oauth/authenticate/application/token"))
    app.include_router(auth_router, prefix=API_PREFIX)
    app.include_router(imports_router, prefix=API_PREFIX)
    app.include_router(courses_router, prefix=API_PREFIX)
    app.include_router(assets_router, prefix=API_PREFIX)
    app.include_router(configuration_router, prefix=API_PREFIX)
    app.include_router(xapi_credentials_router, prefix=API_PREFIX)
    app.include_router(course_statements_router, prefix=API_PREFIX)
    app.include_router(content_router)
    app.include_router(player_router)
    lrs.install(app, settings)
    # In front of every route: the requests these answer never reach FastAPI's routing (kit/routing.py).
    app.router.routes[:0] = [route.under(API_PREFIX) for route in courses_direct_routes]
    app.add_middleware(NormalisePathMiddleware)
    if access_log is not None:
        app.add_middleware(AccessLogMiddleware, log=access_log)  # outermost: every request, every answer
    logging.getLogger("coursehost").setLevel(logging.INFO)
    return app


def create_served_app() -> FastAPI:
    """The factory each process of ``coursehost serve --workers N`` builds its application with: from the
    environment, its heap frozen once built (kit/serving.freeze_heap)."""
    application = create_app()
    freeze_heap()
    return application
