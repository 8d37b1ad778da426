"""The one answer to a :class:`PlayerError`, whichever player route raised it (or its dependencies).

A route answers an error in the kind of response it declares (``response_class``): the learner's pages
(``HTMLResponse``) with an error page in the learner's language, course files (``PlainTextResponse``) with the
error's key as text, and the page's own calls (the rest) with ``{"message": key, "error": key}``. Each with the
error's status.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from coursehost.player import render
from coursehost.player.messages import choose
from coursehost.player.sessions import PlayerError

PREFIX = "/player/"


def static_base(route_path: str) -> str:
    """The player's static folder relative to a page at ``route_path`` (e.g. ``../../static/`` for
    ``/player/s/{sessionId}/``): pages name their stylesheet relatively, so the player works under any prefix."""
    return "../" * route_path.removeprefix(PREFIX).count("/") + "static/"


async def player_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PlayerError)
    route = request.scope.get("route")
    kind = getattr(route, "response_class", None)
    if kind is HTMLResponse:
        language = choose(None, request.headers.get("accept-language"))
        return render.message(exc.key, exc.status, language, static_base(getattr(route, "path", PREFIX)))
    if kind is PlainTextResponse:
        return PlainTextResponse(exc.key, status_code=exc.status)
    return JSONResponse({"message": exc.key, "error": exc.key}, status_code=exc.status)


def install(app: FastAPI) -> None:
    app.add_exception_handler(PlayerError, player_error)
