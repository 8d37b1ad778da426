"""BlobWriter (content/writer.py): one import's blob writes, handed to writer threads in batches. Whatever happens,
every blob it newly stored is in ``written`` when the ``with`` block is left, and nothing else is."""

from __future__ import annotations

import hashlib
import io
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from coursehost.content.store import CHUNK, blob_key
from coursehost.content.writer import BATCH_BYTES, BATCH_FILES, BlobWriter, Written
from coursehost.packages import PackageError
from coursehost.storage import LocalStorage
from coursehost.storage.s3 import S3Storage
from tests.support.files import stored_files

APP = 3
THREADS = [0, 1, 2]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store_all(storage: LocalStorage, written: Written, threads: int, streams: list[io.BytesIO]) -> None:
    with BlobWriter(storage, APP, written, threads) as writer:
        for stream in streams:
            writer.add(stream)


def blobs_on_disk(root: Path) -> set[str]:
    return {path.name for path in stored_files(root, "blobs")}


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[LocalStorage]:
    store = LocalStorage(tmp_path / "data")
    yield store
    store.close()


class FailingStorage(LocalStorage):
    """Local storage whose write of one blob fails, as a full disk would."""

    def __init__(self, root: Path, fail_on: str) -> None:
        super().__init__(root)
        self.fail_on = fail_on

    def put_new(self, key: str, data: bytes) -> bool:
        if key.endswith(self.fail_on):
            raise OSError("No space left on device")
        return super().put_new(key, data)


class CountingStorage(LocalStorage):
    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.stored_bytes = 0
        self._lock = threading.Lock()

    def put_new(self, key: str, data: bytes) -> bool:
        new = super().put_new(key, data)
        with self._lock:
            self.stored_bytes += len(data)
        return new


@pytest.mark.parametrize("threads", THREADS)
def test_each_distinct_file_is_stored_once_and_only_new_blobs_are_written(
    storage: LocalStorage, tmp_path: Path, threads: int
) -> None:
    files = [f"file {n}".encode() * (n + 1) for n in range(3 * BATCH_FILES)]
    already = files[5]
    storage.put_new(blob_key(APP, sha(already)), already)
    written: Written = []
    with BlobWriter(storage, APP, written, threads) as writer:
        results = [writer.add(io.BytesIO(data)) for data in [*files, files[7], files[7]]]
    assert results == [(sha(data), len(data)) for data in [*files, files[7], files[7]]]
    assert sorted(written) == sorted((sha(data), len(data)) for data in files if data != already)
    assert blobs_on_disk(tmp_path / "data") == {sha(data) for data in files}
    for data in files:
        with storage.open(blob_key(APP, sha(data))) as handle:
            assert handle.read() == data
    assert stored_files(tmp_path / "data", "tmp") == []


@pytest.mark.parametrize("threads", THREADS)
def test_a_large_file_is_spooled_and_stored_whole(storage: LocalStorage, tmp_path: Path, threads: int) -> None:
    large = os.urandom(2 * CHUNK + 123)
    written: Written = []
    with BlobWriter(storage, APP, written, threads) as writer:
        assert writer.add(io.BytesIO(b"small")) == (sha(b"small"), 5)
        assert writer.add(io.BytesIO(large)) == (sha(large), len(large))
        assert writer.add(io.BytesIO(large)) == (sha(large), len(large))
    assert sorted(written) == sorted([(sha(b"small"), 5), (sha(large), len(large))])
    with storage.open(blob_key(APP, sha(large))) as handle:
        assert handle.read() == large
    assert stored_files(tmp_path / "data", "tmp") == []
    # Stored already: the second import writes nothing and gives nothing back.
    again: Written = []
    with BlobWriter(storage, APP, again, threads) as writer:
        writer.add(io.BytesIO(large))
    assert again == []
    assert stored_files(tmp_path / "data", "tmp") == []


@pytest.mark.parametrize("threads", THREADS)
def test_a_failed_write_is_raised_and_every_blob_stored_is_recorded(tmp_path: Path, threads: int) -> None:
    files = [os.urandom(1000) for _ in range(4 * BATCH_FILES)]
    storage = FailingStorage(tmp_path / "data", fail_on=sha(files[BATCH_FILES + 3]))
    written: Written = []
    with pytest.raises(OSError, match="No space"):
        store_all(storage, written, threads, [io.BytesIO(data) for data in files])
    assert {digest for digest, _size in written} == blobs_on_disk(tmp_path / "data")
    assert len(written) >= BATCH_FILES + 3  # the batches before the failing one, and that batch up to the failure
    assert stored_files(tmp_path / "data", "tmp") == []
    storage.close()


class Truncated(io.BytesIO):
    def read(self, size: int | None = -1, /) -> bytes:
        raise PackageError("The zip entry 'broken.bin' cannot be decompressed")


@pytest.mark.parametrize("threads", THREADS)
def test_an_error_while_reading_keeps_the_record_of_what_was_stored(
    storage: LocalStorage, tmp_path: Path, threads: int
) -> None:
    files = [os.urandom(5000) for _ in range(2 * BATCH_FILES + 10)]
    written: Written = []
    with pytest.raises(PackageError, match="broken.bin"):
        store_all(storage, written, threads, [*(io.BytesIO(data) for data in files), Truncated()])
    # What was hashed but still waiting in an unsent batch is dropped; all that was stored is recorded.
    assert {digest for digest, _size in written} == blobs_on_disk(tmp_path / "data")
    assert len(written) >= 2 * BATCH_FILES
    assert stored_files(tmp_path / "data", "tmp") == []


@pytest.mark.parametrize("threads", [1, 2])
def test_what_is_handed_over_and_not_yet_stored_stays_bounded(tmp_path: Path, threads: int) -> None:
    storage = CountingStorage(tmp_path / "data")
    limit = 4 * BATCH_BYTES
    size = 200_000
    added = 0
    written: Written = []
    with BlobWriter(storage, APP, written, threads, max_pending=limit) as writer:
        for _ in range(80):
            writer.add(io.BytesIO(os.urandom(size)))
            added += size
            # Sent batches not yet stored stay under the limit; the batch being filled is at most one batch more.
            assert added - storage.stored_bytes <= limit + BATCH_BYTES + size
    assert storage.stored_bytes == added == sum(n for _sha, n in written)
    storage.close()


def test_writer_threads_store_on_s3(tmp_path: Path) -> None:
    """The same writes against an S3-protocol server (moto, over HTTP), where each blob is a request."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    try:
        host, port = server.get_host_and_port()
        client = boto3.client(
            "s3", endpoint_url=f"http://{host}:{port}", aws_access_key_id="test", aws_secret_access_key="test",
            region_name="us-east-1",
        )  # fmt: skip
        client.create_bucket(Bucket="blobs")
        storage = S3Storage("blobs", "prefix", staging_dir=tmp_path / "staging", client=client)
        files = [os.urandom(700) for _ in range(BATCH_FILES + 5)] + [os.urandom(CHUNK + 10)]
        written: Written = []
        with BlobWriter(storage, APP, written, 4) as writer:
            for data in [*files, files[0]]:
                writer.add(io.BytesIO(data))
        assert sorted(written) == sorted((sha(data), len(data)) for data in files)
        for data in (files[3], files[-1]):
            with storage.open(blob_key(APP, sha(data))) as handle:
                assert handle.read() == data
        again: Written = []
        with BlobWriter(storage, APP, again, 4) as writer:
            writer.add(io.BytesIO(files[3]))
        assert again == []
        storage.close()
    finally:
        server.stop()
