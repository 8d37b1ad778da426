"""S3-compatible object storage (AWS S3, MinIO, Ceph, ...), chosen by ``COURSEHOST_STORAGE_URL=s3://bucket/prefix``.

Credentials and region come from the usual AWS environment variables; ``COURSEHOST_S3_ENDPOINT_URL`` points at a
non-AWS server. Staging files (uploads on their way in, packages being unzipped) stay on local disk, because zip
readers need to seek.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, BinaryIO, cast
from urllib.parse import urlsplit

import boto3
from botocore.exceptions import ClientError

from coursehost.storage.base import StorageError, check_key
from coursehost.storage.scratch import ScratchSpace

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client


# A front server fetches the object at once; the signature need only outlive that request (and a slow start).
PRESIGN_SECONDS = 300


class _Counting:
    """Counts bytes as boto3 reads them, so put_stream can report the size without buffering."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.count += len(data)
        return data


class _Body:
    """A file-like view of an S3 object body."""

    def __init__(self, body: Any) -> None:
        self._body = body

    def read(self, size: int = -1) -> bytes:
        return cast(bytes, self._body.read(None if size is None or size < 0 else size))

    def close(self) -> None:
        self._body.close()

    def __enter__(self) -> _Body:
        return self

    def __exit__(self, *exc: object | TracebackType) -> None:
        self.close()


class S3Storage:
    def __init__(self, bucket: str, prefix: str, staging_dir: str | os.PathLike[str], client: S3Client | None = None):
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client: S3Client = client or boto3.client("s3", endpoint_url=os.environ.get("COURSEHOST_S3_ENDPOINT_URL"))
        self._scratch = ScratchSpace(Path(staging_dir))

    def _key(self, key: str) -> str:
        return self.prefix + check_key(key)

    def temp_file(self) -> tuple[BinaryIO, Path]:
        return self._scratch.new_file()

    def sweep_temp_files(self) -> int:
        return self._scratch.sweep_abandoned()

    def close(self) -> None:
        self._scratch.close()

    def put_stream(self, key: str, stream: BinaryIO) -> int:
        counting = _Counting(stream)
        self.client.upload_fileobj(counting, self.bucket, self._key(key))  # type: ignore[arg-type]
        return counting.count

    def put_new(self, key: str, data: bytes) -> bool:
        if self.size(key) == len(data):
            return False
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)
        return True

    def put_file(self, key: str, path: Path) -> None:
        try:
            self.client.upload_file(str(path), self.bucket, self._key(key))
        finally:
            path.unlink(missing_ok=True)

    def open(self, key: str) -> BinaryIO:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileNotFoundError(key) from None
            raise StorageError(str(exc)) from exc
        return cast(BinaryIO, _Body(response["Body"]))

    def size(self, key: str) -> int | None:
        try:
            return self.client.head_object(Bucket=self.bucket, Key=self._key(key))["ContentLength"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise StorageError(str(exc)) from exc

    @contextmanager
    def local_path(self, key: str) -> Iterator[Path]:
        handle, path = self.temp_file()
        handle.close()
        try:
            try:
                self.client.download_file(self.bucket, self._key(key), str(path))
            except ClientError as exc:
                raise FileNotFoundError(key) from exc
            yield path
        finally:
            path.unlink(missing_ok=True)

    def internal_path(self, key: str) -> str:
        """The path and query of a presigned GET of ``key`` (valid for ``PRESIGN_SECONDS``), for a front server
        that proxies it to the bucket's endpoint: the server needs no credentials of its own."""
        url = self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": self._key(key)}, ExpiresIn=PRESIGN_SECONDS
        )
        parts = urlsplit(url)
        return parts.path.lstrip("/") + ("?" + parts.query if parts.query else "")

    def list(self, prefix: str) -> Iterator[tuple[str, int]]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + check_key(prefix)):
            for item in page.get("Contents", []):
                yield item["Key"][len(self.prefix) :], item["Size"]

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def delete_prefix(self, prefix: str) -> None:
        keys = [self.prefix + key for key, _size in self.list(prefix)]
        for start in range(0, len(keys), 1000):
            batch = [{"Key": k} for k in keys[start : start + 1000]]
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})  # type: ignore[typeddict-item]
