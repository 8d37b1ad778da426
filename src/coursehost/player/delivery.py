"""The player's hot paths in front of the router (kit/fastpath.py): a session's course files
(``/player/s/<session>/content/<path>``) and the player's own static files (``/player/static/<path>``).

Course files are resolved and sent by content/delivery.py; what the player adds is its session: the browser must
hold the session's cookie and the session must be alive (player/sessions.py). Sessions are kept in memory
(:class:`LiveSessions`), so a file costs no database round trip; the checks are the same as the routes':

* a session is read from the database when it is not kept, and again when the kept copy says it has expired (its
  expiry only ever moves forward, and another process may have moved it);
* once a minute of activity, the expiry slides forward in the database, as the routes do it; a session that is no
  longer there has ended;
* a session that ends (exit) is published on :data:`SESSION_TOPIC`, and one whose version goes (deleted with its
  version or course) on content's topic: every process drops it (kit/invalidation.py).

Static files are read once, answered from memory with an ETag of their bytes, and cached by browsers for a year
when the URL carries the current ``?v=`` version (the pages always ask for it so: player/render.py), as the URL
then names those bytes and no others.
"""

from __future__ import annotations

import hashlib
import hmac
import mimetypes
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final
from urllib.parse import parse_qsl

import anyio.to_thread
from sqlalchemy.orm import Session
from starlette.requests import cookie_parser
from starlette.types import Receive, Scope, Send

from coursehost.content.cache import NOT_CACHED, VERSION_TOPIC, NotCached, ServedFile
from coursehost.content.delivery import Delivery
from coursehost.kit.delivery import FileInfo, Headers, send_file, send_text
from coursehost.kit.invalidation import Invalidations
from coursehost.kit.paths import file_path
from coursehost.kit.schemas import as_utc
from coursehost.models import utcnow
from coursehost.player import render
from coursehost.player import repository as repo
from coursehost.player.sessions import COOKIE, IDLE, LIFETIME, TOUCH_AFTER, cookie_value

SESSION_TOPIC: Final = "player.session"
SESSIONS_PREFIX = "/player/s/"
STATIC_PREFIX = "/player/static/"
_SESSION_ID = re.compile(r"[0-9a-f]{16,64}")
# The session's files may change under it (an asset upload): a browser keeps them for a few minutes only.
CONTENT_HEADERS: Headers = [(b"cache-control", b"private, max-age=300")]
IMMUTABLE: Headers = [(b"cache-control", b"public, max-age=31536000, immutable")]
REVALIDATE: Headers = [(b"cache-control", b"public, no-cache")]


@dataclass(frozen=True, slots=True)
class Live:
    app_pk: int
    version_pk: int
    cookie: str
    created: datetime
    seen: datetime
    expires: datetime


class LiveSessions:
    """Player sessions kept in memory, least recently used first out."""

    def __init__(self, invalidations: Invalidations, limit: int = 50_000) -> None:
        self.limit = limit
        self.generation = 0
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, Live] = OrderedDict()
        invalidations.subscribe(SESSION_TOPIC, self.forget)
        invalidations.subscribe(VERSION_TOPIC, self.forget_version)

    def get(self, session_id: str) -> Live | None:
        with self._lock:
            found = self._entries.get(session_id)
            if found is not None:
                self._entries.move_to_end(session_id)
            return found

    def put(self, session_id: str, live: Live, generation: int) -> None:
        with self._lock:
            if generation != self.generation:
                return  # dropped while it was being read: what was read may be older than the drop
            self._entries[session_id] = live
            while len(self._entries) > self.limit:
                self._entries.popitem(last=False)

    def forget(self, session_id: str | None) -> None:
        with self._lock:
            self.generation += 1
            if session_id is None:
                self._entries.clear()
            else:
                self._entries.pop(session_id, None)

    def forget_version(self, version_pk: str | None) -> None:
        with self._lock:
            self.generation += 1
            if version_pk is None:
                self._entries.clear()
                return
            pk = int(version_pk)
            for session_id in [s for s, live in self._entries.items() if live.version_pk == pk]:
                del self._entries[session_id]


class PlayerContent:
    """The fast-path handler of ``/player/s/``: a session's course files; the player's other calls go on."""

    def __init__(self, delivery: Delivery, sessions: LiveSessions) -> None:
        self.delivery = delivery
        self.sessions = sessions
        self.secret = delivery.ctx.settings.resolved_secret_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> bool:
        if scope["method"] not in ("GET", "HEAD"):
            return False
        session_id, sep, _rest = scope["path"][len(SESSIONS_PREFIX) :].partition("/content/")
        if not sep or not _SESSION_ID.fullmatch(session_id):
            return False
        await self.answer(scope, receive, send)
        return True

    async def answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        session_id, _sep, rest = scope["path"][len(SESSIONS_PREFIX) :].partition("/content/")
        relpath = file_path(rest)
        live, file, refusal = await self._live(session_id, _cookie(scope), relpath)
        if live is None:
            status, key = refusal
            await send_text(send, status, key)
            return
        if isinstance(file, NotCached):
            file = await self.delivery.file(live.version_pk, relpath) if relpath else None
        if file is None:
            await send_text(send, 404, f"No file '{rest}' in this course")
            return
        await self.delivery.send(scope, receive, send, live.app_pk, file, CONTENT_HEADERS)

    async def _live(
        self, session_id: str, cookie: str | None, relpath: str | None
    ) -> tuple[Live | None, ServedFile | None | NotCached, tuple[int, str]]:
        """The session, alive and this browser's, or why not (the status and key the player's routes answer); and
        the file, when it was read with a session that was not kept (one database session for both)."""
        now = utcnow()
        live = self.sessions.get(session_id)
        file: ServedFile | None | NotCached = NOT_CACHED
        if live is None or live.expires < now:
            generation, files_generation = self.sessions.generation, self.delivery.served.generation
            live, file = await anyio.to_thread.run_sync(self._read, session_id, cookie, relpath, now)
            if live is None:
                self.sessions.forget(session_id)
                return None, file, (410, "sessionEnded")
            self.sessions.put(session_id, live, generation)
            if relpath and not isinstance(file, NotCached):
                self.delivery.served.add_file(live.version_pk, relpath, file, files_generation)
        if not self._mine(live, cookie):
            return None, file, (403, "otherBrowser")
        if live.expires < now:
            return None, file, (410, "sessionEnded")
        if now - live.seen >= TOUCH_AFTER:
            generation = self.sessions.generation
            touched = await anyio.to_thread.run_sync(self._touch, session_id, live, now)
            if touched is None:
                self.sessions.forget(session_id)
                return None, file, (410, "sessionEnded")
            self.sessions.put(session_id, touched, generation)
            live = touched
        return live, file, (200, "")

    @staticmethod
    def _mine(live: Live, cookie: str | None) -> bool:
        return bool(cookie) and hmac.compare_digest(cookie or "", live.cookie)

    def _read(
        self, session_id: str, cookie: str | None, relpath: str | None, now: datetime
    ) -> tuple[Live | None, ServedFile | None | NotCached]:
        """The session as stored, its expiry slid forward when due, and the file when it is not kept: one session."""
        with self.delivery.ctx.db.session() as session:
            found = repo.session_times(session, session_id)
            if found is None:
                return None, NOT_CACHED
            app_pk, version_pk, created, seen, expires = found
            live = Live(
                app_pk, version_pk, cookie_value(self.secret, session_id), as_utc(created), as_utc(seen),
                as_utc(expires),
            )  # fmt: skip
            if not self._mine(live, cookie) or live.expires < now:
                return live, NOT_CACHED  # refused: nothing written, nothing more read
            if now - live.seen >= TOUCH_AFTER:
                live = self._slide(session, session_id, live, now) or live
            file: ServedFile | None | NotCached = NOT_CACHED
            if relpath and isinstance(self.delivery.served.file(version_pk, relpath), NotCached):
                file = self.delivery.find_file(session, version_pk, relpath)
            return live, file

    def _touch(self, session_id: str, live: Live, now: datetime) -> Live | None:
        with self.delivery.ctx.db.session() as session:
            return self._slide(session, session_id, live, now)

    @staticmethod
    def _slide(session: Session, session_id: str, live: Live, now: datetime) -> Live | None:
        """Move the expiry forward as the routes do (player/sessions.extend); None when the session is gone."""
        expires = min(now + IDLE, live.created + LIFETIME)
        if not repo.touch(session, session_id, now, expires):
            return None
        return replace(live, seen=now, expires=expires)


def _cookie(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"cookie":
            found = cookie_parser(value.decode("latin-1")).get(COOKIE)
            if found is not None:
                return found
    return None


@dataclass(frozen=True, slots=True)
class StaticFile:
    info: FileInfo
    body: bytes


class PlayerStatic:
    """The fast-path handler of ``/player/static/``: the player's own files, from memory."""

    def __init__(self) -> None:
        self.version = render.static_version()
        self.files: dict[str, StaticFile] = {}
        for name, path in render.static_files().items():
            body = path.read_bytes()
            kind = render.media_type(path) or mimetypes.guess_type(name)[0] or "application/octet-stream"
            kind += "; charset=utf-8" if kind.startswith("text/") else ""
            self.files[name] = StaticFile(FileInfo.of(hashlib.sha256(body).hexdigest(), len(body), kind), body)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> bool:
        if scope["method"] not in ("GET", "HEAD"):
            return False
        found = self.files.get(scope["path"][len(STATIC_PREFIX) :])
        if found is None:
            await send_text(send, 404, "Not found")
            return True
        query = scope.get("query_string", b"")
        current = bool(query) and dict(parse_qsl(query.decode("latin-1"))).get("v") == self.version
        # Another version's URL gets today's bytes, but must not keep them as that version's for a year.
        headers = IMMUTABLE if current else REVALIDATE
        await send_file(scope, receive, send, found.info, headers, body=found.body)
        return True
