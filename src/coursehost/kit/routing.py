"""The one place where request text is decoded and checked for what no database can hold.

Every router (but the read-only course content's) is built with :class:`CheckedRoute`, so before a handler runs:

* a JSON body is decoded once (Starlette caches it for FastAPI) and refused with 400 naming the field when a string
  or key holds a lone UTF-16 surrogate (``"\\ud800"`` is valid JSON but no character, and no UTF-8 text can hold it)
  or a NUL character (PostgreSQL stores none in text; SQLite would, so the rule is the same on both);
* a NUL in a path parameter or a declared query parameter is refused the same way (surrogates cannot arrive there:
  the server decodes percent-escapes as UTF-8 and replaces what is not);
* a declared single-valued query parameter given more than once is refused: which of the values a handler saw
  would be an accident (``updateAssetPolicy=bogus&updateAssetPolicy=lax`` was accepted). List-valued ones (``tags``,
  kit/query.py) take every occurrence.

Multipart form fields get the same check in :mod:`coursehost.kit.multipart`.
"""

from __future__ import annotations

import email.message
import json
from collections.abc import Callable, Coroutine, Mapping
from types import UnionType
from typing import Any, Union, get_args, get_origin
from urllib.parse import parse_qsl

from fastapi import APIRouter, params
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, compile_path
from starlette.types import Receive, Scope, Send

from coursehost.kit.errors import BadRequest

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None."""
    if "\x00" in value:
        return "must not contain a NUL character"
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            return f"holds a lone UTF-16 surrogate ({value[exc.start]!r}), which is not a character"
    return None


def check_json_text(value: Any, where: str) -> None:
    """Raise 400 naming the first string or key of a decoded JSON value that cannot be stored as text.

    Iterative, so the deepest nesting the JSON decoder accepts cannot exhaust the stack here.
    """
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                raise BadRequest(f"{where} '{path or '(the whole body)'}' {problem}")
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                problem = text_problem(key)
                if problem:
                    raise BadRequest(f"{where} '{path or '(the whole body)'}' has a key that {problem}")
                stack.append((child, f"{path}.{key}" if path else key))
        elif isinstance(item, list):
            stack.extend((child, f"{path}[{i}]") for i, child in reversed(list(enumerate(item))))


def _is_json(content_type: str | None) -> bool:
    """The bodies FastAPI decodes as JSON: no content type, ``application/json`` and ``application/*+json``."""
    if not content_type:
        return True
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (subtype == "json" or subtype.endswith("+json"))


def _is_list(annotation: Any) -> bool:
    if get_origin(annotation) in (list, tuple, set, frozenset):
        return True
    return get_origin(annotation) in (Union, UnionType) and any(_is_list(arg) for arg in get_args(annotation))


def _query_names(dependant: Dependant) -> dict[str, bool]:
    """Each declared query parameter's name, and whether it takes a list."""
    names: dict[str, bool] = {}
    stack = [dependant]
    while stack:
        current = stack.pop()
        names.update((p.alias, _is_list(p.field_info.annotation)) for p in current.query_params)
        stack.extend(current.dependencies)
    return names


class CheckedRoute(APIRoute):
    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        query_names = _query_names(self.dependant)
        json_body = self.body_field is not None and not isinstance(self.body_field.field_info, params.Form)

        async def checked(request: Request) -> Response:
            for name, value in request.path_params.items():
                if isinstance(value, str) and "\x00" in value:
                    raise BadRequest(f"path parameter '{name}' must not contain a NUL character")
            for name, many in query_names.items():
                values = request.query_params.getlist(name)
                if len(values) > 1 and not many:
                    raise BadRequest(f"query parameter '{name}' was given {len(values)} times; give it once")
                if any("\x00" in value for value in values):
                    raise BadRequest(f"query parameter '{name}' must not contain a NUL character")
            if json_body and _is_json(request.headers.get("content-type")) and await request.body():
                try:
                    decoded = await request.json()  # cached: FastAPI's own request.json() returns this
                except (ValueError, RecursionError):
                    decoded = None  # not JSON (or nested too deep): FastAPI reports it as it always does
                check_json_text(decoded, "body field")
            return await handler(request)

        return checked


def checked_router(**kwargs: Any) -> APIRouter:
    """An APIRouter whose routes are :class:`CheckedRoute`: every router of the app but the content one is made here."""
    return APIRouter(route_class=CheckedRoute, **kwargs)


def loads_scrubbed(body: bytes) -> Any:
    """JSON a browser sends on its own (the player's run-time data), with every lone surrogate replaced by U+FFFD
    rather than refused: a SCO that cut its suspend data in the middle of a surrogate pair loses one character, not
    its data, and what is stored can always be written back as UTF-8."""
    decoded = json.loads(body)
    root: list[Any] = [decoded]
    stack: list[tuple[Any, Any]] = [(root, 0)]
    while stack:
        container, key = stack.pop()
        value = container[key]
        if isinstance(value, str):
            container[key] = _replace_surrogates(value)
        elif isinstance(value, list):
            stack.extend((value, i) for i in range(len(value)))
        elif isinstance(value, dict):
            fixed = {_replace_surrogates(k): v for k, v in value.items()}
            container[key] = fixed
            stack.extend((fixed, k) for k in fixed)
    return root[0]


def _replace_surrogates(value: str) -> str:
    if value.isascii():
        return value
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


DirectHandler = Callable[[Request, Mapping[str, Any], Mapping[str, bool]], Coroutine[Any, Any, Response]]
_FLAG_VALUES = {"true": True, "false": False}


class DirectRoute(BaseRoute):
    """A hot path answered without FastAPI's per-request work (solving dependencies, validating parameters, its
    route matching), which costs more than the whole of getCourse's own work (docs/decisions.md).

    It sits in front of the app's routes and takes only the requests it answers exactly as the declared operation
    would: ``GET`` on the path, no NUL in a path parameter, and no query parameter but the boolean ``flags`` it
    knows, each given once as ``true`` or ``false``. Every other request (a HEAD, ``flag=1``, a duplicate, an
    unknown parameter) matches nothing here and goes on to the declared FastAPI route, which documents the
    operation and answers the rest; the handler calls the same functions as that route's endpoint
    (tests/integration/courses/test_direct_routes.py compares the two)."""

    def __init__(self, path: str, handler: DirectHandler, flags: frozenset[str] = frozenset()) -> None:
        self.path = path
        self.path_regex, self.path_format, self.param_convertors = compile_path(path)
        self.handler = handler
        self.flags = flags

    def under(self, prefix: str) -> DirectRoute:
        """The same route below ``prefix`` (where the app includes the router of its operation)."""
        return DirectRoute(prefix + self.path, self.handler, self.flags)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or scope["method"] != "GET":
            return Match.NONE, {}
        found = self.path_regex.match(scope["path"])
        if found is None:
            return Match.NONE, {}
        path_params = {name: self.param_convertors[name].convert(value) for name, value in found.groupdict().items()}
        if any("\x00" in value for value in path_params.values() if isinstance(value, str)):
            return Match.NONE, {}
        flags = self._flags(scope.get("query_string", b""))
        if flags is None:
            return Match.NONE, {}
        # "route" is what the auth dependency reads the operation's path template from (its scopes).
        return Match.FULL, {"route": self, "path_params": path_params, "coursehost.flags": flags}

    def _flags(self, query_string: bytes) -> dict[str, bool] | None:
        if not query_string:
            return {}
        flags: dict[str, bool] = {}
        for name, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
            if name not in self.flags or name in flags or value not in _FLAG_VALUES:
                return None
            flags[name] = _FLAG_VALUES[value]
        return flags

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.handler(Request(scope, receive), scope["path_params"], scope["coursehost.flags"])
        await response(scope, receive, send)
