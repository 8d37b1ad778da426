"""Open an uploaded zip defensively and present it as a course.

Every central-directory entry is checked before a single byte is decompressed: hostile names (zip-slip, absolute
paths, NUL bytes), links and device files, encryption, entry counts, declared sizes and compression ratios.
Declared sizes are not trusted either: every stream handed out is cut off if it decompresses to more than its
entry declared, or if the package as a whole goes over the size cap.
"""

from __future__ import annotations

import os
import re
import stat
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, cast

from coursehost.packages.base import PackageError, ParsedCourse, href_path
from coursehost.packages.registry import Detection, detect
from coursehost.packages.streams import DECOMPRESSION_ERRORS, Budget, LimitedReader

# Small files (HTML, JSON, SVG) routinely compress 100x or more; only large entries can do real damage.
RATIO_FLOOR_BYTES = 1024 * 1024
_SUPPORTED_COMPRESSION = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})
_SPECIAL_FILES = {
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFCHR: "a device file",
    stat.S_IFBLK: "a device file",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
}
_DRIVE = re.compile(r"^[A-Za-z]:")
_EOCD_SIZE = 22
_FLAG_ENCRYPTED = 0x1
_FLAG_UTF8 = 0x800


@dataclass(frozen=True)
class ArchiveLimits:
    max_entries: int = 10_000
    max_total_bytes: int = 4 * 1024**3
    max_ratio: int = 200
    max_descriptor_bytes: int = 16 * 1024**2


def open_archive(path: str | os.PathLike[str], limits: ArchiveLimits | None = None) -> Archive:
    """Open and vet the zip at ``path``; use the result as a context manager so the file is closed.

    Raises PackageError when the file is empty, not a zip, or has a hostile central directory; OSError when
    the file cannot be read at all (that is the server's problem, not the uploader's).
    """
    path = Path(path)
    limits = limits or ArchiveLimits()
    if path.stat().st_size == 0:
        raise PackageError("The uploaded file is empty")
    _check_end_record(path, limits)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, struct.error) as exc:
        raise PackageError(f"The package is not a valid zip file: {exc}") from None
    try:
        files = _vet_entries(zf.infolist(), limits)
    except BaseException:
        zf.close()
        raise
    return Archive(zf, files, limits)


class Archive:
    """A vetted zip. Names are normalised posix paths; macOS resource forks and folders are left out."""

    def __init__(self, zf: zipfile.ZipFile, files: dict[str, zipfile.ZipInfo], limits: ArchiveLimits) -> None:
        self._zip = zf
        self._files = files
        self._limits = limits
        self._detection: Detection | None = None

    @property
    def detection(self) -> Detection:
        if self._detection is None:
            self._detection = detect(self._files)
        return self._detection

    @property
    def root(self) -> str:
        """The course root inside the zip: ``''`` or a folder ending in ``/``."""
        return self.detection.root

    def parse(self, course_id: str) -> ParsedCourse:
        detection = self.detection
        view = CourseView(self, detection.root)
        try:
            parsed = detection.format.parse(view, course_id)
        except PackageError as exc:
            if not detection.root:
                raise
            raise PackageError(f"{exc.message} (the descriptor was found in the folder '{detection.root}')") from None
        notes = list(detection.warnings)
        outside = len(self._files) - len(view.names)
        if outside:
            notes.append(f"{outside} file(s) outside the course root '{detection.root}' were ignored.")
        parsed.warnings[:0] = notes
        return parsed

    def content(self) -> Iterator[tuple[str, BinaryIO]]:
        """Every regular file of the course as (path relative to the course root, stream), one at a time.

        Each stream is closed when the iteration moves on, so copy it before asking for the next one. Reading
        raises PackageError if the entry turns out larger than it declared or the package outgrows its cap.
        """
        root = self.root
        budget = Budget(self._limits.max_total_bytes)
        for name in self._files:
            # SCORM resolves every href relative to the manifest's folder and '..' is refused, so a file beside
            # or above a nested course root can never be launched or referenced: it is not course content.
            if not name.startswith(root):
                continue
            with self.open_entry(name, budget) as stream:
                yield name[len(root) :], cast(BinaryIO, stream)

    def open_entry(self, name: str, budget: Budget | None = None) -> LimitedReader:
        """A stream over the zip entry ``name`` (a full normalised path) that refuses to outgrow its size."""
        info = self._files[name]
        try:
            inner = self._zip.open(info)
        except (*DECOMPRESSION_ERRORS, RuntimeError) as exc:
            raise PackageError(f"The zip entry '{name}' cannot be read: {exc}") from None
        return LimitedReader(inner, name, info.file_size, budget or Budget(self._limits.max_total_bytes))

    @property
    def limits(self) -> ArchiveLimits:
        return self._limits

    def entry_size(self, name: str) -> int:
        return self._files[name].file_size

    @property
    def all_names(self) -> frozenset[str]:
        return frozenset(self._files)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class CourseView:
    """The :class:`PackageView` a parser sees: the files under the course root, by root-relative path."""

    def __init__(self, archive: Archive, root: str) -> None:
        self._archive = archive
        self._root = root
        self._names = frozenset(n[len(root) :] for n in archive.all_names if n.startswith(root))
        self._folded: dict[str, list[str]] = {}
        for name in sorted(self._names):
            self._folded.setdefault(name.lower(), []).append(name)

    @property
    def names(self) -> frozenset[str]:
        return self._names

    def read(self, name: str, max_bytes: int) -> bytes:
        """Read a descriptor; the archive's descriptor cap applies on top of ``max_bytes``."""
        limit = min(max_bytes, self._archive.limits.max_descriptor_bytes)
        full = self._root + name
        if self._archive.entry_size(full) > limit:
            raise PackageError(f"{name} is larger than the {limit} bytes allowed for a descriptor")
        with self._archive.open_entry(full) as stream:
            return stream.read(limit + 1)

    def resolve(self, href: str) -> str | None:
        path = href_path(href)
        if path is None:
            return None
        if path in self._names:
            return path
        folded = self._folded.get(path.lower(), [])
        return folded[0] if len(folded) == 1 else None


def _check_end_record(path: Path, limits: ArchiveLimits) -> None:
    """Refuse an absurd central directory before zipfile builds a Python object for every record in it.

    zipfile walks the directory by its byte size, not its entry count, so both are bounded; 1 KiB per allowed
    entry is far above what real packages use (a record is 46 bytes plus the file name and extra fields).
    """
    with path.open("rb") as fp:
        size = fp.seek(0, os.SEEK_END)
        fp.seek(max(0, size - _EOCD_SIZE - 0xFFFF))
        tail = fp.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) < at + _EOCD_SIZE:
            return  # not a zip: zipfile says so in its own words
        entries, directory = struct.unpack_from("<HI", tail, at + 10)
        if at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07":
            fp.seek(struct.unpack_from("<Q", tail, at - 12)[0])
            record = fp.read(56)
            if record[:4] == b"PK\x06\x06" and len(record) == 56:
                entries, directory = struct.unpack_from("<QQ", record, 32)
    if entries > limits.max_entries:
        raise PackageError(f"The package has {entries} zip entries; at most {limits.max_entries} are allowed")
    if directory > limits.max_entries * 1024:
        raise PackageError(f"The zip's central directory is {directory} bytes, far too large for a package")


def _vet_entries(infos: list[zipfile.ZipInfo], limits: ArchiveLimits) -> dict[str, zipfile.ZipInfo]:
    if len(infos) > limits.max_entries:
        raise PackageError(f"The package has {len(infos)} zip entries; at most {limits.max_entries} are allowed")
    files: dict[str, zipfile.ZipInfo] = {}
    total = compressed = 0
    for info in infos:
        raw = _display_name(info)
        name = _normalise(raw)
        kind = _SPECIAL_FILES.get(stat.S_IFMT(info.external_attr >> 16))
        if kind:
            raise PackageError(f"The zip entry '{raw}' is {kind}; a package may only hold regular files and folders")
        if info.flag_bits & _FLAG_ENCRYPTED:
            raise PackageError(
                f"The zip entry '{raw}' is encrypted; remove the password from the zip and upload it again"
            )
        if not name or raw.endswith(("/", "\\")) or stat.S_ISDIR(info.external_attr >> 16):
            continue
        if info.compress_type not in _SUPPORTED_COMPRESSION:
            raise PackageError(f"The zip entry '{raw}' uses an unsupported compression method ({info.compress_type})")
        _check_ratio(f"The zip entry '{raw}'", info.file_size, info.compress_size, limits)
        total += info.file_size
        compressed += info.compress_size
        if _is_macos_litter(name):
            continue
        if name in files:
            raise PackageError(f"The package holds '{name}' more than once")
        files[name] = info
    if total > limits.max_total_bytes:
        raise PackageError(
            f"The package would decompress to {total} bytes; at most {limits.max_total_bytes} are allowed"
        )
    _check_ratio("The package", total, compressed, limits)
    folders = {name.rsplit("/", 1)[0] for name in files if "/" in name}
    clash = next((name for name in files if name in folders), None)
    if clash:
        raise PackageError(f"The package holds '{clash}' both as a file and as a folder")
    return files


def _display_name(info: zipfile.ZipInfo) -> str:
    # Zips written without the UTF-8 flag are decoded as cp437 by zipfile, but most such tools really wrote
    # UTF-8; undoing that keeps non-ASCII file names matching the hrefs in the manifest.
    name = info.orig_filename
    if info.flag_bits & _FLAG_UTF8:
        return name
    try:
        return name.encode("cp437").decode("utf-8")
    except UnicodeError:
        return name


def _normalise(raw: str) -> str:
    if "\x00" in raw:
        shown = raw.replace("\x00", "\\x00")
        raise PackageError(f"The zip entry '{shown}' has a NUL byte in its name")
    name = raw.replace("\\", "/")
    if name.startswith("/") or _DRIVE.match(name):
        raise PackageError(f"The zip entry '{raw}' has an absolute path; entries must be relative to the zip root")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise PackageError(f"The zip entry '{raw}' points outside the package ('..' in its path)")
    return "/".join(parts)


def _is_macos_litter(name: str) -> bool:
    return name.split("/", 1)[0] == "__MACOSX" or name.rsplit("/", 1)[-1].startswith("._")


def _check_ratio(label: str, size: int, compressed: int, limits: ArchiveLimits) -> None:
    if size <= RATIO_FLOOR_BYTES:
        return
    if compressed <= 0 or size / compressed > limits.max_ratio:
        raise PackageError(
            f"{label} would expand from {compressed} to {size} bytes (more than {limits.max_ratio} times), "
            "which looks like a zip bomb"
        )
