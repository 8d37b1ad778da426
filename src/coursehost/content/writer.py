"""Storing the many files of one package as blobs, storage's writes overlapped with reading the package.

An import reads each file out of its zip and hashes it on the worker's thread. Creating the files is the kernel's
work (or S3's, over the network), so writer threads do it while the worker reads the next files. Files are handed
over in batches (a thread hand-off per file cost about as much as a small file's write), and what is handed over
and not yet written is bounded in bytes, so a package of any size costs little memory.

Leaving the ``with`` block, whatever happened inside it, waits for every write it started and adds each blob it
newly stored to ``written`` (a failed import gives those back), so nothing it wrote is left unaccounted for. The
first write that failed is raised then, unless the block raised an error of its own.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, BinaryIO

from coursehost.content.store import CHUNK, blob_key, put_spooled, spool

if TYPE_CHECKING:
    from coursehost.storage import Storage

Written = list[tuple[str, int]]  # (sha256, size) of every blob an import stored that was not stored before
MAX_PENDING_BYTES = 16 * 1024 * 1024
BATCH_BYTES = 1024 * 1024
BATCH_FILES = 64

# What a batch did: the blobs it newly stored, and the error that stopped it (the blobs before it are stored).
Outcome = tuple[Written, BaseException | None]


class BlobWriter:
    """One import's blob writes. :meth:`add` hashes a file and returns its (sha256, size) at once; the write follows
    on a writer thread (``threads=0``: on the caller's, as each batch fills)."""

    def __init__(
        self, storage: Storage, app_pk: int, written: Written, threads: int, max_pending: int = MAX_PENDING_BYTES
    ) -> None:
        self._storage = storage
        self._app_pk = app_pk
        self._written = written
        self._max_pending = max_pending
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="blob-writer") if threads else None
        self._batch: list[tuple[str, int, bytes]] = []
        self._batch_bytes = 0
        self._pending: deque[tuple[Future[Outcome], int]] = deque()
        self._pending_bytes = 0
        self._seen: set[str] = set()
        self._error: BaseException | None = None

    def add(self, stream: BinaryIO) -> tuple[str, int]:
        """Hash the stream's bytes and queue their write (none when this import already wrote the same bytes). The
        stream is read to its end here, so the caller may go on to the next one."""
        first = stream.read(CHUNK)
        rest = stream.read(CHUNK) if len(first) == CHUNK else b""
        if not rest:
            # Most course files are small: hashed in memory, and one already stored costs no disk write at all.
            sha, size = hashlib.sha256(first).hexdigest(), len(first)
            if sha not in self._seen:
                self._seen.add(sha)
                self._batch.append((sha, size, first))
                self._batch_bytes += size
                if self._batch_bytes >= BATCH_BYTES or len(self._batch) >= BATCH_FILES:
                    self._send_batch()
            return sha, size
        sha, size, tmp = spool(self._storage, first + rest, stream)
        if sha in self._seen:
            tmp.unlink(missing_ok=True)
        else:
            self._seen.add(sha)
            key = blob_key(self._app_pk, sha)
            self._send(lambda: _put_spooled(self._storage, key, sha, size, tmp), 0)
        return sha, size

    def _send_batch(self) -> None:
        if not self._batch:
            return
        batch, held = self._batch, self._batch_bytes
        self._batch, self._batch_bytes = [], 0
        self._send(lambda: _put_batch(self._storage, self._app_pk, batch), held)

    def _send(self, write: Callable[[], Outcome], held: int) -> None:
        if self._pool is None:
            done: Future[Outcome] = Future()
            done.set_result(write())
            self._pending.append((done, held))
        else:
            self._pending.append((self._pool.submit(write), held))
        self._pending_bytes += held
        while self._pending and (self._pending_bytes > self._max_pending or self._pending[0][0].done()):
            self._settle_oldest()
        if self._error is not None:
            self.close()  # raises it, once every other write has settled

    def _settle_oldest(self) -> None:
        future, held = self._pending.popleft()
        self._pending_bytes -= held
        try:
            stored, error = future.result()
        except BaseException as exc:  # a writer thread that died: recorded like any failed write
            stored, error = [], exc
        self._written.extend(stored)
        if error is not None and self._error is None:
            self._error = error

    def close(self) -> None:
        """Write what is still batched, wait for every write and raise the first that failed."""
        if self._error is None:
            self._send_batch()
        while self._pending:
            self._settle_oldest()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def __enter__(self) -> BlobWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is None:
            self.close()
            return
        self._batch.clear()  # hashed, never written: nothing to give back
        # The block's own error is the one to report; the blobs written are recorded either way.
        with contextlib.suppress(Exception):
            self.close()


def _put_batch(storage: Storage, app_pk: int, batch: list[tuple[str, int, bytes]]) -> Outcome:
    stored: Written = []
    try:
        for sha, size, data in batch:
            if storage.put_new(blob_key(app_pk, sha), data):
                stored.append((sha, size))
    except Exception as exc:
        return stored, exc
    return stored, None


def _put_spooled(storage: Storage, key: str, sha: str, size: int, tmp: Path) -> Outcome:
    try:
        return ([(sha, size)] if put_spooled(storage, key, size, tmp) else []), None
    except Exception as exc:
        return [], exc
