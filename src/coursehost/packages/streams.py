"""Streams over zip entries that refuse to yield more than the entry declared, or than the package may hold.

zipfile itself stops at the declared size and then fails the CRC check, but that is an implementation detail
of one library; the import pipeline's guarantee should not depend on it.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from coursehost.packages.base import PackageError

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

DECOMPRESSION_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)


@dataclass
class Budget:
    """Bytes the whole package may decompress to, shared by every stream of one pass over it."""

    limit: int
    used: int = 0


class LimitedReader(io.BufferedIOBase):
    """Wraps a zip entry stream; raises PackageError once it yields more than declared or the budget allows."""

    def __init__(self, inner: IO[bytes], name: str, declared: int, budget: Budget) -> None:
        super().__init__()
        self._inner = inner
        self._name = name
        self._declared = declared
        self._budget = budget
        self._seen = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1, /) -> bytes:
        # Asking for one byte more than can legitimately remain is what exposes a lying size field.
        allowed = self._declared - self._seen + 1
        want = allowed if size is None or size < 0 else min(size, allowed)
        try:
            data = self._inner.read(want)
        except DECOMPRESSION_ERRORS as exc:
            raise PackageError(f"The zip entry '{self._name}' cannot be decompressed: {exc}") from None
        self._seen += len(data)
        self._budget.used += len(data)
        if self._seen > self._declared:
            raise PackageError(
                f"The zip entry '{self._name}' holds more data than the {self._declared} bytes it declares; "
                "the zip is corrupt or hostile"
            )
        if self._budget.used > self._budget.limit:
            raise PackageError(f"The package decompresses to more than the {self._budget.limit} bytes allowed")
        return data

    def read1(self, size: int = -1, /) -> bytes:
        return self.read(size)

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._inner.close()
        super().close()
