"""The default backend: plain files under a root directory."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from coursehost.storage.base import check_key
from coursehost.storage.scratch import ScratchSpace

CHUNK = 1024 * 1024


class LocalStorage:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        # On the same filesystem as the files, so put_file is a rename.
        self._scratch = ScratchSpace(self.root / "tmp")
        self._dirs: set[Path] = set()

    def _path(self, key: str) -> Path:
        # check_key refuses absolute paths and '.'/'..' segments, and nothing here creates links, so a plain join
        # stays under the root without resolve()'s lstat of every path component.
        return self.root / check_key(key)

    def _parent(self, path: Path) -> None:
        parent = path.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)

    def _replace(self, source: Path, target: Path) -> None:
        """``os.replace`` into a folder this process made once: another process (or ``delete_prefix``) may have
        removed it since, so it is made again when missing (the set of folders made is only this process's)."""
        try:
            os.replace(source, target)
        except FileNotFoundError:
            if not source.exists():
                raise
            self._dirs.discard(target.parent)
            self._parent(target)
            os.replace(source, target)

    def temp_file(self) -> tuple[BinaryIO, Path]:
        return self._scratch.new_file()

    def sweep_temp_files(self) -> int:
        return self._scratch.sweep_abandoned()

    def close(self) -> None:
        self._scratch.close()

    def put_stream(self, key: str, stream: BinaryIO) -> int:
        target = self._path(key)
        self._parent(target)
        written = 0
        handle, tmp = self.temp_file()
        try:
            with handle:
                while chunk := stream.read(CHUNK):
                    handle.write(chunk)
                    written += len(chunk)
            self._replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return written

    def put_file(self, key: str, path: Path) -> None:
        target = self._path(key)
        self._parent(target)
        try:
            self._replace(path, target)
        except OSError:
            shutil.move(str(path), target)

    def open(self, key: str) -> BinaryIO:
        path = self._path(key)
        if not path.is_file():
            raise FileNotFoundError(key)
        return path.open("rb")

    def size(self, key: str) -> int | None:
        # One stat, not a check and then a stat: the file may be deleted in between (a worker gives back an upload
        # while a reader asks its size), and a file that is gone has no size; that is no error.
        try:
            found = self._path(key).stat()
        except (FileNotFoundError, NotADirectoryError):
            return None
        return found.st_size if stat.S_ISREG(found.st_mode) else None

    @contextmanager
    def local_path(self, key: str) -> Iterator[Path]:
        path = self._path(key)
        if not path.is_file():
            raise FileNotFoundError(key)
        yield path

    def list(self, prefix: str) -> Iterator[tuple[str, int]]:
        base = self._path(prefix.rstrip("/"))
        if not base.is_dir():
            return
        for dirpath, _dirs, files in os.walk(base):
            for name in files:
                full = Path(dirpath) / name
                yield full.relative_to(self.root).as_posix(), full.stat().st_size

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def delete_prefix(self, prefix: str) -> None:
        path = self._path(prefix.rstrip("/"))
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
            self._dirs.clear()
        elif path.is_file():
            path.unlink(missing_ok=True)
