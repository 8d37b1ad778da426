"""Course files at ``webPathToCourse`` (``/content/courses/<appId>/<courseId>/<version>/<path>``), answered in front
of the router (kit/fastpath.py) from the caches of content/cache.py: no database round trip once the version and
the file are known, no thread and no file open for a small file already in memory.

:class:`Delivery` is shared with the player's content path (player/delivery.py): resolve a file of a version, then
send it from memory, from storage (streamed, with ranges), or through a front nginx (``X-Accel-Redirect``).
Nothing here writes, and a path that tries to leave the version's files is a plain 404.
"""

from __future__ import annotations

import mimetypes
import re

import anyio.to_thread
from sqlalchemy.orm import Session
from starlette.types import Receive, Scope, Send

from coursehost.content import repository as content_repo
from coursehost.content.cache import NOT_CACHED, NotCached, ServedFile, VersionKey
from coursehost.content.store import blob_key
from coursehost.context import Context
from coursehost.kit.caps import INT32_MAX, INT32_MIN
from coursehost.kit.delivery import FileInfo, Headers, send_file
from coursehost.kit.handlers import error_response
from coursehost.kit.paths import file_path

PREFIX = "/content/courses/"
# A version number written plainly; any other spelling (and a number beyond int32) goes on to the route, which
# refuses or reads it as it always has.
_NUMBER = re.compile(r"-?[0-9]{1,10}")


def media_type(name: str) -> str:
    found = mimetypes.guess_type(name)[0] or "application/octet-stream"
    # As Starlette's responses say it, which the route's answers always did.
    return found + "; charset=utf-8" if found.startswith("text/") else found


class Delivery:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.served = ctx.content.served
        self.accel = ctx.settings.accel_redirect or None
        max_age = ctx.settings.content_max_age_seconds
        # The URL names a version's file, which an asset upload may replace: browsers and shared caches revalidate
        # (a 304 costs no body) unless the operator chose a time they may use it unasked (docs/architecture.md).
        policy = f"public, max-age={max_age}, must-revalidate" if max_age else "public, no-cache"
        self.content_headers: Headers = [(b"cache-control", policy.encode())]

    async def resolve(
        self, app_id: str, course_id: str, number: int, path: str
    ) -> tuple[tuple[int, int] | None, ServedFile | None]:
        """(version pk, application pk) of the version a webPathToCourse URL names, and its file at ``path``
        (None for either that does not exist). What is not kept is read in one session on one worker thread."""
        key: VersionKey = (app_id, course_id, number)
        found = self.served.version(key)
        file = self.served.file(found[0], path) if found is not None else NOT_CACHED
        if found is not None and not isinstance(file, NotCached):
            return found, file
        generation = self.served.generation
        version, read = await anyio.to_thread.run_sync(self._resolve, key, found, path)
        if version is not None:
            self.served.add_version(key, version, generation)
            self.served.add_file(version[0], path, read, generation)
        return version, read

    def _resolve(
        self, key: VersionKey, found: tuple[int, int] | None, path: str
    ) -> tuple[tuple[int, int] | None, ServedFile | None]:
        with self.ctx.db.session() as session:
            if found is None:
                found = content_repo.find_served_version(session, *key)
            return found, (self.find_file(session, found[0], path) if found is not None else None)

    async def file(self, version_pk: int, path: str) -> ServedFile | None:
        found = self.served.file(version_pk, path)
        if isinstance(found, NotCached):
            generation = self.served.generation
            found = await anyio.to_thread.run_sync(self._find_file, version_pk, path)
            self.served.add_file(version_pk, path, found, generation)
        return found

    def _find_file(self, version_pk: int, path: str) -> ServedFile | None:
        with self.ctx.db.session() as session:
            return self.find_file(session, version_pk, path)

    @staticmethod
    def find_file(session: Session, version_pk: int, path: str) -> ServedFile | None:
        """The file, read in the caller's session (on a worker thread)."""
        row = content_repo.find_file(session, version_pk, path)
        if row is None:
            return None
        return ServedFile(row.path, FileInfo.of(row.sha256, row.size, media_type(row.path)))

    async def send(
        self, scope: Scope, receive: Receive, send: Send, app_pk: int, file: ServedFile, headers: Headers
    ) -> None:
        info = file.info
        key = blob_key(app_pk, info.sha256)
        if self.accel is not None:
            target = (self.accel + self.ctx.storage.internal_path(key)).encode("latin-1")
            await send_file(scope, receive, send, info, headers, accel=target)
            return
        if info.size <= self.served.limits.file_bytes:
            data = self.served.blob(app_pk, info.sha256)
            if data is None:
                data = await anyio.to_thread.run_sync(self._read, key)
                self.served.add_blob(app_pk, info.sha256, data)
            await send_file(scope, receive, send, info, headers, body=data)
            return
        await send_file(scope, receive, send, info, headers, opener=lambda: self.ctx.storage.open(key))

    def _read(self, key: str) -> bytes:
        with self.ctx.storage.open(key) as handle:
            return handle.read()


class ContentFiles:
    """The fast-path handler of ``/content/courses/``."""

    def __init__(self, delivery: Delivery) -> None:
        self.delivery = delivery

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> bool:
        if scope["method"] not in ("GET", "HEAD"):
            return False
        parts = scope["path"][len(PREFIX) :].split("/", 3)
        if len(parts) != 4 or not parts[0] or not parts[1] or not _NUMBER.fullmatch(parts[2]):
            return False
        number = int(parts[2])
        if not INT32_MIN <= number <= INT32_MAX:
            return False
        course_id = parts[1].replace("%2F", "/").replace("%25", "%")
        await self.serve(scope, receive, send, parts[0], course_id, number, parts[3])
        return True

    async def serve(
        self, scope: Scope, receive: Receive, send: Send, app_id: str, course_id: str, number: int, path: str
    ) -> None:
        relpath = file_path(path)
        if relpath is None or "\x00" in app_id or "\x00" in course_id:
            await error_response(404, "No such file")(scope, receive, send)
            return
        found, file = await self.delivery.resolve(app_id, course_id, number, relpath)
        if found is None:
            await error_response(404, "No such course version")(scope, receive, send)
            return
        if file is None:
            await error_response(404, f"No file '{relpath}' in this course version")(scope, receive, send)
            return
        await self.delivery.send(scope, receive, send, found[1], file, self.delivery.content_headers)
