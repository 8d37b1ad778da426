"""Content-addressed course files.

A version is a list of (path, SHA-256, size, modified); the bytes live once per application at
``blobs/<app>/<aa>/<sha256>``. A new version, or a patched one, therefore stores only files whose content is new,
and deleting a version frees exactly the blobs no other version uses.

Safety of garbage collection: a blob can be deleted only while its application has no import in flight, and the
check, the row deletion and the storage deletion happen under the application's lock (the same lock job creation
takes). So no import can be between "this blob is already stored" and "my version now references it" while its blob
is being collected. Imports decide "already stored" by asking storage itself, so a stale row can never hide a
missing file. An import's writer threads (content/writer.py) have all finished before it publishes or gives back,
so its job is in flight for as long as any of its writes.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session

from coursehost.content import repository as repo
from coursehost.content.cache import VERSION_TOPIC, CacheLimits, ServedFiles
from coursehost.kit.db import Database
from coursehost.kit.invalidation import Invalidations
from coursehost.storage import Storage

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024


def blob_key(app_pk: int, sha256: str) -> str:
    # One level of fan-out (256 folders) keeps folders small without a mkdir for nearly every new blob.
    return f"blobs/{app_pk}/{sha256[:2]}/{sha256}"


def spool(storage: Storage, head: bytes, stream: BinaryIO) -> tuple[str, int, Path]:
    """Copy a large file (``head``, then the rest of ``stream``) into a temporary file, hashing it on the way: its
    (sha256, size, temporary file). The caller moves the file with :func:`put_spooled`."""
    digest = hashlib.sha256(head)
    size = len(head)
    handle, tmp = storage.temp_file()
    try:
        with handle:
            handle.write(head)
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                handle.write(chunk)
                size += len(chunk)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size, tmp


def put_spooled(storage: Storage, key: str, size: int, tmp: Path) -> bool:
    """Move a spooled file to ``key`` unless a blob of that size is there already (then drop it); True if moved."""
    try:
        if storage.size(key) == size:
            return False
        storage.put_file(key, tmp)
        return True
    finally:
        tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    new: bool


class ContentStore:
    def __init__(
        self, storage: Storage, db: Database, invalidations: Invalidations, limits: CacheLimits | None = None
    ) -> None:
        self.storage = storage
        self.db = db
        self.invalidations = invalidations
        # What content delivery keeps in memory (content/cache.py); every process drops what another one changed.
        self.served = ServedFiles(limits)
        invalidations.subscribe(VERSION_TOPIC, self.served.forget_version)

    def files_changed(self, session: Session, version_pks: Iterable[int]) -> None:
        """Tell every process's caches, once ``session`` commits, that these versions' files changed or are gone.
        Every writer of a version's file list, or of a version's existence, calls it in its transaction."""
        for version_pk in dict.fromkeys(version_pks):
            self.invalidations.publish(session, VERSION_TOPIC, str(version_pk))

    def write(self, app_pk: int, stream: BinaryIO) -> StoredBlob:
        """Store the stream's bytes unless a blob with the same hash is already stored.

        Most course files are small: they are hashed in memory, so a file that is already stored costs no disk write
        at all. Larger ones are hashed into a temporary file on their way in, so memory stays bounded. (An import
        stores its many files through :class:`coursehost.content.writer.BlobWriter`, which does the same.)
        """
        first = stream.read(CHUNK)
        rest = stream.read(CHUNK) if len(first) == CHUNK else b""
        if not rest:
            sha = hashlib.sha256(first).hexdigest()
            return StoredBlob(sha, len(first), new=self.storage.put_new(blob_key(app_pk, sha), first))
        sha, size, tmp = spool(self.storage, first + rest, stream)
        return StoredBlob(sha, size, new=put_spooled(self.storage, blob_key(app_pk, sha), size, tmp))

    def open(self, app_pk: int, sha256: str) -> BinaryIO:
        return self.storage.open(blob_key(app_pk, sha256))

    def collect(self, app_pk: int, candidates: Sequence[str] | None = None, *, job_id: str | None = None) -> int:
        """Delete the application's blobs that no version uses (all, or among ``candidates``); return how many."""
        try:
            with self.db.session() as session:
                return self._collect(session, app_pk, candidates, job_id)
        except Exception:  # collection is retried by housekeeping; it must never fail the request that freed space
            log.exception("blob collection for application %s failed", app_pk)
            return 0

    def _collect(self, session: Session, app_pk: int, candidates: Sequence[str] | None, job_id: str | None) -> int:
        repo.lock_application(session, app_pk)
        if repo.has_other_active_jobs(session, app_pk, job_id):
            return 0
        orphans = repo.orphan_blobs(session, app_pk, candidates)
        if not orphans:
            return 0
        repo.delete_blobs(session, app_pk, orphans)
        session.flush()
        for sha in orphans:
            self.storage.delete(blob_key(app_pk, sha))
        return len(orphans)

    def collect_all(self) -> int:
        with self.db.session() as session:
            apps = repo.apps_with_blobs(session)
        return sum(self.collect(app_pk) for app_pk in apps)
