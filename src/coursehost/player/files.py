"""Streaming a course file to the player, with the single byte ranges browsers ask for when seeking in media."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator
from typing import BinaryIO

from fastapi.responses import Response, StreamingResponse

from coursehost.content.store import ContentStore

CHUNK = 256 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header: str | None, size: int) -> tuple[int, int] | None | bool:
    """(first, last) for one satisfiable range, None to send everything, False when it cannot be satisfied."""
    match = _RANGE.match((header or "").strip())
    if match is None or match.group(0) == "bytes=-":
        return None
    first, last = match.groups()
    if not first:  # "bytes=-N": the last N bytes
        length = int(last)
        return (max(size - length, 0), size - 1) if length and size else False
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return False
    return start, end


def _skip(handle: BinaryIO, count: int) -> None:
    if handle.seekable():
        handle.seek(count)
        return
    while count > 0:
        count -= len(handle.read(min(CHUNK, count)) or b"") or count


def _stream(handle: BinaryIO, start: int, length: int) -> Iterator[bytes]:
    with handle:
        _skip(handle, start)
        while length > 0 and (chunk := handle.read(min(CHUNK, length))):
            length -= len(chunk)
            yield chunk


def serve(content: ContentStore, app_pk: int, sha256: str, size: int, name: str, range_header: str | None) -> Response:
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    headers = {"Accept-Ranges": "bytes", "X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=300"}
    wanted = parse_range(range_header, size)
    if wanted is False:
        return Response(status_code=416, headers=headers | {"Content-Range": f"bytes */{size}"})
    start, end = wanted if isinstance(wanted, tuple) else (0, size - 1)
    status = 206 if isinstance(wanted, tuple) else 200
    if status == 206:
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    headers["Content-Length"] = str(max(end - start + 1, 0))
    handle = content.open(app_pk, sha256)
    return StreamingResponse(_stream(handle, start, end - start + 1), status, headers, media_type=media_type)
