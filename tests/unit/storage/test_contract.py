"""The contract every storage backend passes: the local one always, the S3 one against a real S3-protocol server
(moto in server mode, spoken to over HTTP by boto3)."""

from __future__ import annotations

import io
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from coursehost.storage import LocalStorage, Storage, StorageError, open_storage
from coursehost.storage.s3 import S3Storage
from coursehost.storage.scratch import ScratchSpace


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    if request.param == "local":
        return LocalStorage(tmp_path / "store")
    endpoint = request.getfixturevalue("s3_endpoint")
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    bucket = f"b-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    return S3Storage(bucket, "prefix/here", staging_dir=tmp_path / "staging", client=client)


def test_put_stream_open_size(storage: Storage) -> None:
    assert storage.put_stream("a/b/c.txt", io.BytesIO(b"hello")) == 5
    with storage.open("a/b/c.txt") as handle:
        assert handle.read() == b"hello"
    assert storage.size("a/b/c.txt") == 5
    assert storage.size("a/b/missing") is None
    with pytest.raises(FileNotFoundError):
        storage.open("a/b/missing")


def test_local_size_of_a_file_deleted_while_asked_is_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file deleted between an existence check and its stat (a worker giving back an upload while a reader asks
    its size) has no size; asking must not raise. The check is made to see the file that is already gone."""
    storage = LocalStorage(tmp_path / "store")
    storage.put_stream("incoming/job", io.BytesIO(b"x"))
    storage.delete("incoming/job")
    monkeypatch.setattr(Path, "is_file", lambda self: True)
    assert storage.size("incoming/job") is None
    assert storage.size("incoming/job/below") is None


def test_local_writes_into_a_folder_another_process_removed(tmp_path: Path) -> None:
    """Each process remembers the folders it made; one that another process removed since is made again."""
    mine, theirs = LocalStorage(tmp_path / "store"), LocalStorage(tmp_path / "store")
    mine.put_stream("blobs/a/first", io.BytesIO(b"1"))
    theirs.delete_prefix("blobs/a")
    mine.put_stream("blobs/a/second", io.BytesIO(b"2"))
    assert mine.size("blobs/a/second") == 1
    theirs.delete_prefix("blobs/a")
    handle, staged = mine.temp_file()
    with handle:
        handle.write(b"3")
    mine.put_file("blobs/a/third", staged)
    assert [mine.size(f"blobs/a/{name}") for name in ("first", "second", "third")] == [None, None, 1]
    mine.close()
    theirs.close()


def test_local_size_of_a_folder_is_none(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "store")
    storage.put_stream("a/b.txt", io.BytesIO(b"x"))
    assert storage.size("a") is None


def test_large_stream_in_chunks(storage: Storage) -> None:
    data = bytes(range(256)) * 40_000  # ~10 MB, more than one multipart chunk on S3
    assert storage.put_stream("big.bin", io.BytesIO(data)) == len(data)
    with storage.open("big.bin") as handle:
        chunks = []
        while chunk := handle.read(1024 * 1024):
            chunks.append(chunk)
    assert b"".join(chunks) == data


def test_put_stream_replaces(storage: Storage) -> None:
    storage.put_stream("k", io.BytesIO(b"one"))
    storage.put_stream("k", io.BytesIO(b"second"))
    assert storage.size("k") == 6


def test_put_new_writes_only_what_is_not_there_whole(storage: Storage) -> None:
    assert storage.put_new("blobs/1/ab/abc", b"content") is True
    with storage.open("blobs/1/ab/abc") as handle:
        assert handle.read() == b"content"
    # Same key, same size: a content-addressed key of that size holds those bytes; nothing is written.
    assert storage.put_new("blobs/1/ab/abc", b"CONTENT") is False
    with storage.open("blobs/1/ab/abc") as handle:
        assert handle.read() == b"content"
    # A file of another size at the key (a write cut short by a crash) is replaced.
    storage.put_stream("blobs/1/ab/cut", io.BytesIO(b"par"))
    assert storage.put_new("blobs/1/ab/cut", b"partial") is True
    assert storage.size("blobs/1/ab/cut") == 7
    assert storage.put_new("blobs/1/cd/empty", b"") is True
    assert storage.size("blobs/1/cd/empty") == 0


def test_put_new_leaves_no_temporary_file(storage: Storage, tmp_path: Path) -> None:
    for n in range(20):
        storage.put_new(f"k/{n % 3}/{n}", b"x" * n)
    assert [p for p in tmp_path.rglob("*") if p.is_file() and p.name != ".owner.lock" and "/k/" not in str(p)] == []


def test_local_put_new_makes_a_folder_removed_meanwhile_again(tmp_path: Path) -> None:
    """Another process on the same data directory may remove a folder this one made (deleting an application)."""
    storage = LocalStorage(tmp_path / "store")
    assert storage.put_new("blobs/7/aa/one", b"1")
    LocalStorage(tmp_path / "store").delete_prefix("blobs/7")
    assert storage.put_new("blobs/7/aa/two", b"22")
    assert storage.put_stream("blobs/7/bb/three", io.BytesIO(b"333")) == 3
    assert (storage.size("blobs/7/aa/two"), storage.size("blobs/7/bb/three")) == (2, 3)


def test_temp_file_and_put_file_moves(storage: Storage) -> None:
    handle, path = storage.temp_file()
    with handle:
        handle.write(b"payload")
    storage.put_file("incoming/x", path)
    assert not path.exists()
    with storage.local_path("incoming/x") as local, local.open("rb") as f:
        assert f.read() == b"payload"
    with pytest.raises(FileNotFoundError), storage.local_path("incoming/none"):
        pass


def test_sweep_removes_only_temp_files_of_stopped_processes(storage: Storage) -> None:
    handle, live = storage.temp_file()
    handle.write(b"live")
    handle.flush()
    scratch = live.parent.parent
    # Another live storage object on the same folder (a second process on one data directory)...
    other = ScratchSpace(scratch)
    other_handle, other_file = other.new_file()
    # ...and one whose process stopped mid-upload, as a kill -9 leaves it.
    script = (
        "import os, sys; from pathlib import Path; from coursehost.storage.scratch import ScratchSpace; "
        "h, p = ScratchSpace(Path(sys.argv[1])).new_file(); h.write(b'x' * 4096); h.flush(); print(p); os._exit(0)"
    )
    done = subprocess.run([sys.executable, "-c", script, str(scratch)], capture_output=True, text=True, check=True)
    dead = Path(done.stdout.strip())
    assert dead.stat().st_size == 4096
    assert storage.sweep_temp_files() >= 4096
    assert not dead.parent.exists()
    assert live.read_bytes() == b"live"
    assert other_file.exists()
    handle.close()
    other_handle.close()
    other.close()
    assert not other_file.parent.exists()
    storage.close()
    assert not live.exists()


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


@pytest.mark.parametrize("key", ["../escape", "/abs", "a/../../b", "a\\b", "nul\x00", "", "a//b", "./a"])
def test_keys_cannot_escape(storage: Storage, key: str) -> None:
    with pytest.raises(StorageError):
        storage.put_stream(key, io.BytesIO(b"x"))
    with pytest.raises(StorageError):
        storage.put_new(key, b"x")


def test_open_storage_selects_backend(tmp_path: Path) -> None:
    assert isinstance(open_storage("", tmp_path), LocalStorage)
    assert isinstance(open_storage("s3://bucket/some/prefix", tmp_path), S3Storage)
    with pytest.raises(StorageError):
        open_storage("gs://bucket", tmp_path)
