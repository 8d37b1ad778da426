"""The default backend: plain files under a root directory."""

from __future__ import annotations

import contextlib
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
        self._root = str(self.root)
        self.root.mkdir(parents=True, exist_ok=True)
        # On the same filesystem as the files, so put_file is a rename.
        self._scratch = ScratchSpace(self.root / "tmp")

    def _path(self, key: str) -> Path:
        # check_key refuses absolute paths and '.'/'..' segments, and nothing here creates links, so a plain join
        # stays under the root without resolve()'s lstat of every path component.
        return self.root / check_key(key)

    def _os_path(self, key: str) -> str:
        # The same join as _path, as a string: an import stores thousands of files, and pathlib's parsing cost more
        # than the system calls it was made for.
        return f"{self._root}/{check_key(key)}"

    @staticmethod
    def _move_into(source: str, target: str) -> None:
        """Rename a temporary file into place; the folder is made when the rename says it is missing (made once per
        folder, and made again should another process have removed it meanwhile)."""
        try:
            os.replace(source, target)
        except FileNotFoundError:
            if not os.path.exists(source):
                raise
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(source, target)

    def temp_file(self) -> tuple[BinaryIO, Path]:
        return self._scratch.new_file()

    def sweep_temp_files(self) -> int:
        return self._scratch.sweep_abandoned()

    def close(self) -> None:
        self._scratch.close()

    def put_stream(self, key: str, stream: BinaryIO) -> int:
        target = self._os_path(key)
        written = 0
        handle, tmp = self.temp_file()
        try:
            with handle:
                while chunk := stream.read(CHUNK):
                    handle.write(chunk)
                    written += len(chunk)
            self._move_into(str(tmp), target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return written

    def put_new(self, key: str, data: bytes) -> bool:
        target = self._os_path(key)
        if _regular_size(target) == len(data):
            return False
        fd, tmp = self._scratch.new_fd()
        try:
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
            self._move_into(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        return True

    def put_file(self, key: str, path: Path) -> None:
        target = self._os_path(key)
        try:
            self._move_into(str(path), target)
        except OSError:
            if not path.exists():
                raise
            shutil.move(str(path), target)

    def open(self, key: str) -> BinaryIO:
        path = self._path(key)
        if not path.is_file():
            raise FileNotFoundError(key)
        return path.open("rb")

    def size(self, key: str) -> int | None:
        return _regular_size(self._os_path(key))

    @contextmanager
    def local_path(self, key: str) -> Iterator[Path]:
        path = self._path(key)
        if not path.is_file():
            raise FileNotFoundError(key)
        yield path

    def internal_path(self, key: str) -> str:
        return check_key(key)

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
        elif path.is_file():
            path.unlink(missing_ok=True)


def _regular_size(path: str) -> int | None:
    # One stat, not a check and then a stat: the file may be deleted in between (a worker gives back an upload while
    # a reader asks its size), and a file that is gone has no size; that is no error.
    try:
        found = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return found.st_size if stat.S_ISREG(found.st_mode) else None
