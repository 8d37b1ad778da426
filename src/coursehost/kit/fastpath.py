"""A way in front of the router for the few paths that must be cheap (course files, the player's static files).

FastAPI's router tries each route's pattern in turn and wraps the request in a Request, dependencies and a
Response: fine for an API call, a large share of the cost of a 2 KB file. A handler registered here for a path
prefix gets the raw ASGI request first and answers it, or returns False to hand it on to the application, whose
routes then answer it as before (a method other than GET, a parameter only the route knows how to refuse).

It is installed innermost of the middlewares (app.py), so what it answers still passes the request limits, the
origin guard and the security headers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

Handler = Callable[[Scope, Receive, Send], Awaitable[bool]]


class FastPathMiddleware:
    def __init__(self, app: ASGIApp, handlers: Sequence[tuple[str, Handler]]) -> None:
        self.app = app
        self.handlers = tuple(handlers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            for prefix, handler in self.handlers:
                if path.startswith(prefix):
                    if await handler(scope, receive, send):
                        return
                    break
        await self.app(scope, receive, send)
