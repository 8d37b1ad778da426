"""The contract every storage backend passes. Add a backend to ``BACKENDS`` and it is held to all of it."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from coursehost.storage import LocalStorage, Storage, StorageError

BACKENDS: dict[str, Callable[[Path], Storage]] = {"local": LocalStorage}


@pytest.fixture(params=sorted(BACKENDS))
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    return BACKENDS[request.param](tmp_path / "store")


def test_put_stream_open_size(storage: Storage) -> None:
    assert storage.put_stream("a/b/c.txt", io.BytesIO(b"hello")) == 5
    with storage.open("a/b/c.txt") as handle:
        assert handle.read() == b"hello"
    assert storage.size("a/b/c.txt") == 5
    assert storage.size("a/b/missing") is None
    with pytest.raises(FileNotFoundError):
        storage.open("a/b/missing")


def test_put_stream_replaces(storage: Storage) -> None:
    storage.put_stream("k", io.BytesIO(b"one"))
    storage.put_stream("k", io.BytesIO(b"second"))
    assert storage.size("k") == 6


def test_temp_file_and_put_file_moves(storage: Storage) -> None:
    handle, path = storage.temp_file()
    with handle:
        handle.write(b"payload")
    storage.put_file("incoming/x", path)
    assert not path.exists()
    with storage.local_path("incoming/x") as local, local.open("rb") as f:
        assert f.read() == b"payload"


def test_list_and_delete_prefix(storage: Storage) -> None:
    for key in ("p/1", "p/q/2", "other/3"):
        storage.put_stream(key, io.BytesIO(b"x" * 3))
    assert sorted(storage.list("p/")) == [("p/1", 3), ("p/q/2", 3)]
    storage.delete_prefix("p/")
    assert list(storage.list("p/")) == []
    assert storage.size("other/3") == 3
    storage.delete_prefix("never/")
    storage.delete("other/3")
    storage.delete("other/3")
    assert storage.size("other/3") is None


@pytest.mark.parametrize("key", ["../escape", "/abs", "a/../../b", "a\\b", "nul\x00", ""])
def test_keys_cannot_escape(storage: Storage, key: str) -> None:
    with pytest.raises(StorageError):
        storage.put_stream(key, io.BytesIO(b"x"))
