"""Content storage. Backends implement :class:`~coursehost.storage.base.Storage`; ``open_storage`` picks one."""

from coursehost.storage.base import Storage, StorageError
from coursehost.storage.local import LocalStorage

__all__ = ["LocalStorage", "Storage", "StorageError", "open_storage"]


def open_storage(data_dir: str) -> Storage:
    return LocalStorage(data_dir)
