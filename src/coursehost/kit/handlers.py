"""The single mapping from exceptions to the wire's ``{"message", "error"}`` body."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from coursehost.kit.errors import CoursehostError, TooManyRequests, Unauthorized


def error_response(status_code: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"message": message, "error": message}, status_code=status_code, headers=headers)


def _describe_validation(errors: list[Any]) -> str:
    parts = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "header", "body")]
        where = ".".join(loc) if loc else "request"
        source = err.get("loc", ("request",))[0]
        value = err.get("input")
        if isinstance(value, str) and len(value) > 100:  # a 1 MB title is not echoed back
            value = value[:100] + "…"
        shown = f" (got {value!r})" if isinstance(value, str | int | float | bool) else ""
        parts.append(f"{source} parameter '{where}': {err.get('msg', 'invalid')}{shown}")
    return "Invalid request: " + "; ".join(parts)


async def _domain(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CoursehostError)
    # Never a Basic challenge: a browser would prompt for the key and secret and then send them with every later
    # request to this origin, course content's included (docs/security.md). Programs send credentials unasked.
    headers = {"WWW-Authenticate": 'Bearer realm="coursehost"'} if isinstance(exc, Unauthorized) else None
    if isinstance(exc, TooManyRequests):
        headers = {"Retry-After": str(exc.retry_after)}
    return error_response(exc.status_code, exc.message, headers)


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(400, _describe_validation(list(exc.errors())))


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return error_response(exc.status_code, str(exc.detail), dict(exc.headers or {}))


async def _data(request: Request, exc: Exception) -> JSONResponse:
    # The database refused a value the client sent: a bad request, not a server fault. Text and integers are checked
    # before they reach it (kit/routing.py, kit/params.py); this is the net behind those checks.
    return error_response(400, "Invalid request: a value cannot be stored or looked up by the database")


def install(app: FastAPI) -> None:
    app.add_exception_handler(DataError, _data)
    app.add_exception_handler(CoursehostError, _domain)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
