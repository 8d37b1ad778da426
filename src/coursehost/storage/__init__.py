"""Content storage. Backends implement :class:`~coursehost.storage.base.Storage`; ``open_storage`` picks one."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from coursehost.storage.base import Storage, StorageError
from coursehost.storage.local import LocalStorage

__all__ = ["LocalStorage", "Storage", "StorageError", "open_storage"]


def open_storage(storage_url: str, data_dir: Path) -> Storage:
    """``""`` (files under the data directory) or ``s3://bucket/prefix``."""
    if not storage_url:
        return LocalStorage(data_dir)
    parts = urlsplit(storage_url)
    if parts.scheme == "s3" and parts.netloc:
        from coursehost.storage.s3 import S3Storage

        return S3Storage(parts.netloc, parts.path, staging_dir=data_dir / "tmp")
    raise StorageError(f"COURSEHOST_STORAGE_URL must be empty or s3://bucket/prefix, not {storage_url!r}")
