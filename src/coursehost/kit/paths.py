"""Path handling the official clients need.

* The Python client's host ends in ``/`` and its paths start with ``/``, so it requests ``/api/v2//courses``.
* Path parameters are percent-encoded with no safe characters, so a ``/`` inside a course id arrives as ``%2F``.
  ASGI servers decode ``scope["path"]``, which would turn that into a path separator. The middleware rebuilds the
  path from ``raw_path`` leaving ``%2F`` and ``%25`` encoded, and the ``segment`` convertor decodes them inside the
  parameter, so any id round-trips exactly.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, unquote

from starlette.convertors import Convertor, register_url_convertor
from starlette.types import ASGIApp, Receive, Scope, Send

_SLASHES = re.compile(r"/{2,}")
_KEEP = re.compile(r"%(2[fF]|25)")


def normalise_raw_path(raw: bytes) -> str:
    text = raw.decode("latin-1")
    text = _SLASHES.sub("/", text)
    pieces = _KEEP.split(text)
    # split() with one group alternates text, captured code, text...; decode only the text parts.
    out = []
    for i, piece in enumerate(pieces):
        out.append(unquote(piece, errors="strict") if i % 2 == 0 else "%" + piece.upper())
    return "".join(out)


class SegmentConvertor(Convertor[str]):
    regex = "[^/]+"

    def convert(self, value: str) -> str:
        return value.replace("%2F", "/").replace("%25", "%")

    def to_string(self, value: str) -> str:
        return value.replace("%", "%25").replace("/", "%2F")


register_url_convertor("segment", SegmentConvertor())


class NormalisePathMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            raw = scope.get("raw_path")
            if raw is None:
                raw = scope["path"].encode("utf-8")
            raw = raw.split(b"?", 1)[0]
            if b"%" not in raw and b"//" not in raw:
                path = raw.decode("latin-1")  # what normalise_raw_path gives such a path, at a fraction of the cost
            else:
                try:
                    path = normalise_raw_path(raw)
                except UnicodeDecodeError:
                    path = _SLASHES.sub("/", scope["path"])
            scope = dict(scope)
            scope["path"] = path
        await self.app(scope, receive, send)


def file_path(path: str) -> str | None:
    """The course file a ``{path:path}`` route parameter names, or None when it is not a plain relative path.

    The middleware left ``%2F`` and ``%25`` encoded; inside a file path they are just characters of a name.
    """
    path = path.replace("%2F", "/").replace("%25", "%")
    parts = path.split("/")
    if not path or any(p in ("", ".", "..") or "\\" in p or "\x00" in p for p in parts):
        return None
    return path


def encode_segment(value: Any) -> str:
    """Percent-encode a value for use as one path segment of a URL we hand out (nothing is left unescaped)."""
    return quote(str(value), safe="")
