"""File downloads: streamed from storage with Content-Length, a strong ETag, and single byte ranges."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import BinaryIO
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

CHUNK = 256 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


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
