"""The storage interface every backend implements.

Keys are posix paths relative to the backend's root (``content/<app>/<job>/index.html``). A backend must refuse
keys that would leave its root; callers still validate paths first so the error they show is precise.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import BinaryIO, Protocol


class StorageError(Exception):
    pass


def check_key(key: str) -> str:
    """Refuse keys that could name something outside the backend's root, whatever the backend."""
    parts = key.split("/")
    if (
        not key
        or "\x00" in key
        or "\\" in key
        or key.startswith("/")
        or any(part in (".", "..") for part in parts)
        or any(part == "" for part in parts[:-1])
    ):
        raise StorageError(f"invalid storage key {key!r}")
    return key


class Storage(Protocol):
    def temp_file(self) -> tuple[BinaryIO, Path]:
        """A new local temporary file, open for writing, that ``put_file`` can move into storage cheaply."""
        ...

    def sweep_temp_files(self) -> int:
        """Remove temporary files that processes which have stopped left behind; return the bytes freed."""
        ...

    def close(self) -> None:
        """Give back this object's temporary files; it is not used afterwards."""
        ...

    def put_stream(self, key: str, stream: BinaryIO) -> int:
        """Write the stream's bytes at ``key`` (replacing any file there); return the number of bytes written."""
        ...

    def put_new(self, key: str, data: bytes) -> bool:
        """Write ``data`` at ``key`` unless a file of exactly ``len(data)`` bytes is there already; True when this call
        wrote it. Meant for content-addressed keys, where the key names the bytes, so the size is the check that a
        file there is whole. A reader sees the old file or the new one, never part of one."""
        ...

    def put_file(self, key: str, path: Path) -> None:
        """Move a local file into storage at ``key``; the source file is gone afterwards."""
        ...

    def open(self, key: str) -> BinaryIO:
        """Open ``key`` for reading; raise FileNotFoundError when absent."""
        ...

    def size(self, key: str) -> int | None:
        """The size in bytes of ``key``, or None when there is no such file."""
        ...

    def local_path(self, key: str) -> AbstractContextManager[Path]:
        """A local file holding ``key``'s bytes for the duration of the block (zip readers need to seek)."""
        ...

    def list(self, prefix: str) -> Iterator[tuple[str, int]]:
        """Every (key, size) under ``prefix``."""
        ...

    def internal_path(self, key: str) -> str:
        """Where a front server finds ``key``, relative to its internal location (nginx's ``X-Accel-Redirect``,
        docs/architecture.md): the key itself under a local root, a presigned path and query on S3."""
        ...

    def delete(self, key: str) -> None: ...

    def delete_prefix(self, prefix: str) -> None:
        """Delete every key under ``prefix``; a missing prefix is not an error."""
        ...
