"""File downloads: streamed from storage with Content-Length, a strong ETag, and single byte ranges."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

CHUNK = 256 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")

# The answers of a download route besides its errors, for the OpenAPI document (``responses=`` of the route).
_BINARY: dict[str, Any] = {"schema": {"type": "string", "format": "binary"}}
_RANGES: dict[int | str, dict[str, Any]] = {
    416: {"description": "The Range header asks for bytes past the end of the file"},
}
# Served with the media type its name suggests, application/octet-stream when none does.
_ANY = {"application/octet-stream": _BINARY, "*/*": _BINARY}
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The file", "content": _ANY},
    206: {"description": "The part asked for with a Range header", "content": _ANY},
    304: {"description": "Not modified: If-None-Match names the file's ETag"},
    **_RANGES,
}
# Sent as application/zip; application/octet-stream is declared too, as SCORM Cloud's document does, so that a
# generator that knows no zip type (openapi-python-client) still reads the answer as bytes.
_ZIP = {"application/zip": _BINARY, "application/octet-stream": _BINARY}
ZIP_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The course version's files", "content": _ZIP},
    206: {"description": "The part asked for with a Range header", "content": _ZIP},
    **_RANGES,
}


def disposition(filename: str) -> str:
    # The Python client extracts the name with filename=['"]?([^'"\s]+)['"]?, so the plain form has no spaces or
    # quotes; filename* carries the exact name for browsers.
    plain = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("._") or "download"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


def byte_range(header: str | None, size: int) -> tuple[int, int] | None | bool:
    """(first, last) for a satisfiable single range, None for no/ignored Range, False for an unsatisfiable one."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if not match or (not match.group(1) and not match.group(2)):
        return None  # multi-range or malformed: serve the whole file, as RFC 9110 allows
    first, last = match.group(1), match.group(2)
    if not first:
        length = int(last)
        if length == 0 or size == 0:
            return False
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return False
    return start, end


def _skip(handle: BinaryIO, count: int) -> None:
    try:
        handle.seek(count)
        return
    except (AttributeError, OSError):  # storage streams need not be seekable (S3 bodies are not)
        pass
    while count > 0:
        chunk = handle.read(min(CHUNK, count))
        if not chunk:
            return
        count -= len(chunk)


def stream_file(
    request: Request,
    opener: Callable[[], BinaryIO],
    *,
    size: int,
    etag: str,
    media_type: str,
    filename: str | None = None,
    cache_control: str | None = None,
) -> Response:
    headers = {"ETag": f'"{etag}"', "Accept-Ranges": "bytes", "X-Content-Type-Options": "nosniff"}
    if filename:
        headers["Content-Disposition"] = disposition(filename)
    if cache_control:
        headers["Cache-Control"] = cache_control
    if request.headers.get("if-none-match", "").strip() in (f'"{etag}"', "*"):
        return Response(status_code=304, headers=headers)
    wanted = byte_range(request.headers.get("range"), size)
    if wanted is False:
        return Response(status_code=416, headers=headers | {"Content-Range": f"bytes */{size}"})
    start, end = wanted if isinstance(wanted, tuple) else (0, size - 1)
    length = max(0, end - start + 1)
    headers["Content-Length"] = str(length)
    status = 200
    if isinstance(wanted, tuple):
        status = 206
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    handle = opener()

    def body() -> Iterator[bytes]:
        with handle:
            _skip(handle, start)
            left = length
            while left > 0:
                chunk = handle.read(min(CHUNK, left))
                if not chunk:
                    break
                left -= len(chunk)
                yield chunk

    return StreamingResponse(body(), status_code=status, media_type=media_type, headers=headers)
