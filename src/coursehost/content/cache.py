"""What content delivery keeps in memory, so that a course file costs no database round trip and, when small, no
file open (docs/architecture.md, "Content delivery").

Three bounded maps, least recently used first out:

* **versions**: (appId, courseId, version number) → (version pk, application pk), what a ``webPathToCourse`` URL
  names. Only versions that exist are kept (an unknown one asks the database each time), so a version imported
  under a number a deleted one had is found afresh: the delete dropped the old entry.
* **files**: (version pk, requested path) → the stored file (its real name, SHA-256, size, media type), or the fact
  that the version has no such file. A version's file list changes only through the asset operations, which publish
  the change; an import writes a version's files in the transaction that creates it.
* **blobs**: (application pk, SHA-256) → the bytes of files up to ``max_file_bytes``, bounded in total bytes.
  Content-addressed, so never stale: a blob's bytes never change, and one garbage-collected is no longer named by
  any file entry.

Every change that can make an entry wrong is published on :data:`VERSION_TOPIC` with the version's pk (a version or
course deleted, a version's files changed; ``ContentStore.files_changed``), and every process drops that version's
entries when it hears of it (kit/invalidation.py: at once in the process that committed, within
``cache_poll_seconds`` in the others). A lookup that was under way while an entry was dropped may have read the
database before the change: ``generation`` counts drops, and an answer read under an older generation is not kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Final, TypeVar

from coursehost.kit.delivery import FileInfo

VERSION_TOPIC: Final = "content.version"

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class ServedFile:
    path: str  # the stored name (a request may have named it in another letter case)
    info: FileInfo


class NotCached:
    """What :meth:`ServedFiles.file` answers when it does not know; ``None`` means "known to be missing"."""


NOT_CACHED: Final = NotCached()
VersionKey = tuple[str, str, int]


@dataclass(frozen=True)
class CacheLimits:
    versions: int = 10_000
    files: int = 200_000
    blob_bytes: int = 64 * 1024**2
    file_bytes: int = 256 * 1024


def _evict(entries: OrderedDict[K, V], limit: int) -> list[tuple[K, V]]:
    gone = []
    while len(entries) > limit:
        gone.append(entries.popitem(last=False))
    return gone


class ServedFiles:
    def __init__(self, limits: CacheLimits | None = None) -> None:
        self.limits = limits or CacheLimits()
        self.generation = 0
        self._lock = threading.Lock()
        self._versions: OrderedDict[VersionKey, tuple[int, int]] = OrderedDict()
        self._version_keys: dict[int, set[VersionKey]] = {}
        self._files: OrderedDict[tuple[int, str], ServedFile | None] = OrderedDict()
        self._file_paths: dict[int, set[str]] = {}
        self._blobs: OrderedDict[tuple[int, str], bytes] = OrderedDict()
        self._blob_bytes = 0

    # Reads run on the event loop; drops come from other threads (the poller, a committing request): every change
    # of the maps holds the lock.

    def version(self, key: VersionKey) -> tuple[int, int] | None:
        with self._lock:
            found = self._versions.get(key)
            if found is not None:
                self._versions.move_to_end(key)
            return found

    def add_version(self, key: VersionKey, found: tuple[int, int], generation: int) -> None:
        with self._lock:
            if generation != self.generation:
                return
            self._versions[key] = found
            self._version_keys.setdefault(found[0], set()).add(key)
            for old_key, (version_pk, _app_pk) in _evict(self._versions, self.limits.versions):
                self._discard(self._version_keys, version_pk, old_key)

    def file(self, version_pk: int, path: str) -> ServedFile | None | NotCached:
        key = (version_pk, path)
        with self._lock:
            found = self._files.get(key, NOT_CACHED)
            if found is not NOT_CACHED:
                self._files.move_to_end(key)
            return found

    def add_file(self, version_pk: int, path: str, found: ServedFile | None, generation: int) -> None:
        with self._lock:
            if generation != self.generation:
                return
            self._files[(version_pk, path)] = found
            self._file_paths.setdefault(version_pk, set()).add(path)
            for (old_pk, old_path), _entry in _evict(self._files, self.limits.files):
                self._discard(self._file_paths, old_pk, old_path)

    def blob(self, app_pk: int, sha256: str) -> bytes | None:
        key = (app_pk, sha256)
        with self._lock:
            found = self._blobs.get(key)
            if found is not None:
                self._blobs.move_to_end(key)
            return found

    def add_blob(self, app_pk: int, sha256: str, data: bytes) -> None:
        if len(data) > self.limits.file_bytes:
            return
        key = (app_pk, sha256)
        with self._lock:
            if key in self._blobs:
                return
            self._blobs[key] = data
            self._blob_bytes += len(data)
            while self._blob_bytes > self.limits.blob_bytes:
                _key, dropped = self._blobs.popitem(last=False)
                self._blob_bytes -= len(dropped)

    def forget_version(self, key: str | None) -> None:
        """A subscriber of :data:`VERSION_TOPIC`: drop what is kept about the version (``None``: about every one)."""
        with self._lock:
            self.generation += 1
            if key is None:
                self._versions.clear()
                self._version_keys.clear()
                self._files.clear()
                self._file_paths.clear()
                return
            version_pk = int(key)
            for version_key in self._version_keys.pop(version_pk, ()):
                self._versions.pop(version_key, None)
            for path in self._file_paths.pop(version_pk, ()):
                self._files.pop((version_pk, path), None)

    def sizes(self) -> tuple[int, int, int]:
        """How many versions and files are kept, and how many bytes of blobs (for tests and the docs' figures)."""
        with self._lock:
            return len(self._versions), len(self._files), self._blob_bytes

    @staticmethod
    def _discard(index: dict[int, set[K]], version_pk: int, member: K) -> None:
        members = index.get(version_pk)
        if members is not None:
            members.discard(member)
            if not members:
                del index[version_pk]
