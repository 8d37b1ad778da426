"""Local temporary files that a crash cannot leave behind for good.

Each process (each storage object, in fact) keeps its temporary files in a folder of its own and holds an exclusive
``flock`` on a lock file inside it for as long as it lives. The kernel drops the lock when the process ends, however
it ends (``kill -9`` included), so a sweep can tell an abandoned folder from a live one by trying to take the lock:
it removes only folders nobody holds. Several processes may share the parent folder (API and worker processes on one
data directory); each sweeps the others' leftovers and never a live upload.
"""

from __future__ import annotations

import fcntl
import logging
import os
import secrets
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger(__name__)
LOCK_NAME = ".owner.lock"
STAGING_PREFIX = ".new-"
# Loose files directly in the parent folder come from versions before this layout; nothing writes there now, so one
# untouched for this long was abandoned by a process that has since stopped.
LOOSE_FILE_SECONDS = 3600.0


class ScratchSpace:
    """The temporary files of one storage object, in ``parent/<pid>-<random>/`` (made when first needed)."""

    def __init__(self, parent: Path) -> None:
        parent.mkdir(parents=True, exist_ok=True)
        self.parent = parent
        self.folder: Path | None = None
        self._lock: int | None = None
        self._guard = threading.Lock()

    def new_file(self) -> tuple[BinaryIO, Path]:
        fd, name = self.new_fd()
        return os.fdopen(fd, "w+b"), Path(name)

    def new_fd(self) -> tuple[int, str]:
        """A new temporary file as a bare descriptor (open for writing) and its path: for callers that write one
        buffer and close it, thousands of times in one import."""
        return tempfile.mkstemp(dir=self._own_folder())

    def _own_folder(self) -> Path:
        with self._guard:
            if self.folder is None:
                # Locked before it gets the name sweeps look at, so no sweep ever sees it unlocked (the lock stays
                # with the file through the rename). A bare descriptor: closing it, here or when the object is
                # collected, is all a release takes.
                staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.parent))
                self._lock = os.open(staging / LOCK_NAME, os.O_WRONLY | os.O_CREAT, 0o600)
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                folder = self.parent / f"{os.getpid()}-{secrets.token_hex(6)}"
                staging.rename(folder)
                self.folder = folder
            return self.folder

    def sweep_abandoned(self) -> int:
        """Remove the folders of processes that are gone and old loose files; return how many bytes were freed."""
        freed = 0
        for entry in self.parent.iterdir():
            if entry == self.folder:
                continue
            try:
                if entry.name.startswith(STAGING_PREFIX) or not (entry / LOCK_NAME).exists():
                    freed += _remove_if_old(entry)
                else:
                    freed += _remove_if_unlocked(entry)
            except OSError:  # gone meanwhile, or not ours to touch: the next sweep looks again
                continue
        if freed:
            log.info("removed %d bytes of temporary files left by stopped processes", freed)
        return freed

    def close(self) -> None:
        """Remove this object's folder (whatever is still being written there is abandoned) and let go of it."""
        with self._guard:
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)
                self.folder = None
            self._release()

    def _release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def __del__(self) -> None:
        self._release()


def _remove_if_unlocked(folder: Path) -> int:
    with (folder / LOCK_NAME).open("rb") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0  # its owner is alive
        return _remove(folder)


def _remove_if_old(entry: Path) -> int:
    """A loose file of an older version, a folder whose set-up or removal was cut short: only once long untouched."""
    if time.time() - entry.stat().st_mtime < LOOSE_FILE_SECONDS:
        return 0
    return _remove(entry)


def _remove(entry: Path) -> int:
    if entry.is_file():
        size = entry.stat().st_size
        entry.unlink()
        return size
    size = sum(p.stat().st_size for p in entry.rglob("*") if p.is_file())
    shutil.rmtree(entry, ignore_errors=True)
    return size
