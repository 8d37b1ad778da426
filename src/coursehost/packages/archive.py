"""Open an uploaded zip defensively and present it as a course.

Every central-directory entry is checked before a single byte is decompressed: hostile names (zip-slip, absolute
paths, NUL bytes), links and device files, encryption, entry counts, declared sizes and compression ratios.
Declared sizes are not trusted either: every stream handed out is cut off if it decompresses to more than its
entry declared, or if the package as a whole goes over the size cap.
"""

from __future__ import annotations

import os
import stat
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, cast

from coursehost.packages.archive_view import ArchiveView
from coursehost.packages.base import PackageError, ParsedCourse
from coursehost.packages.limits import ArchiveLimits
from coursehost.packages.registry import Detection, detect
from coursehost.packages.streams import DECOMPRESSION_ERRORS, Budget, LimitedReader
from coursehost.packages.zipnames import display_name, is_macos_litter, normalise, renamed_note

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
_EOCD_SIZE = 22
_FLAG_ENCRYPTED = 0x1


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
        listing = _vet_entries(zf.infolist(), limits)
    except BaseException:
        zf.close()
        raise
    return Archive(zf, listing, limits)


@dataclass(frozen=True)
class Listing:
    """The vetted regular files of a zip, by normalised name, and what normalising their names took."""

    files: dict[str, zipfile.ZipInfo]
    legacy_names: frozenset[str] = frozenset()
    """Names stored neither as UTF-8 nor flagged: read as CP437 until an href shows which code page they are in."""
    notes: tuple[str, ...] = ()


class Archive:
    """A vetted zip. Names are normalised posix paths; macOS resource forks and folders are left out."""

    def __init__(self, zf: zipfile.ZipFile, listing: Listing, limits: ArchiveLimits) -> None:
        self._zip = zf
        self._files = listing.files
        self._listing = listing
        self._limits = limits
        self._detection: Detection | None = None
        self._view: ArchiveView | None = None

    @property
    def detection(self) -> Detection:
        if self._detection is None:
            self._detection = detect(self._files)
        return self._detection

    @property
    def root(self) -> str:
        """The course root inside the zip: ``''`` or a folder ending in ``/``."""
        return self.detection.root

    @property
    def view(self) -> ArchiveView:
        """The course's files as its parser sees them; names re-decoded while parsing stay re-decoded in content()."""
        if self._view is None:
            self._view = ArchiveView(self, self.root)
        return self._view

    def parse(self, course_id: str) -> ParsedCourse:
        detection = self.detection
        view = self.view
        try:
            parsed = detection.format.parse(view, course_id)
        except PackageError as exc:
            if not detection.root:
                raise
            raise PackageError(f"{exc.message} (the descriptor was found in the folder '{detection.root}')") from None
        notes = [*detection.warnings, *self._listing.notes]
        outside = len(self._files) - len(view.names)
        if outside:
            files = "1 file" if outside == 1 else f"{outside} files"
            was = "was" if outside == 1 else "were"
            notes.append(f"{files} outside the course folder '{detection.root}' {was} ignored.")
        parsed.warnings[:0] = notes
        parsed.warnings.extend(view.notes())
        return parsed

    def content(self) -> Iterator[tuple[str, BinaryIO]]:
        """Every regular file of the course as (path relative to the course root, stream), one at a time.

        Each stream is closed when the iteration moves on, so copy it before asking for the next one. Reading
        raises PackageError if the entry turns out larger than it declared or the package outgrows its cap.
        A zip inside the package is just one more file: it is streamed as it is, never opened.
        """
        view = self.view
        budget = Budget(self._limits.max_total_bytes)
        for name in self._files:
            # SCORM resolves every href relative to the manifest's folder and '..' is refused, so a file beside
            # or above a nested course root can never be launched or referenced: it is not course content.
            course_name = view.course_name(name)
            if course_name is None:
                continue
            with self.open_entry(name, budget) as stream:
                yield course_name, cast(BinaryIO, stream)

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

    @property
    def legacy_names(self) -> frozenset[str]:
        return self._listing.legacy_names

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


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


def _vet_entries(infos: list[zipfile.ZipInfo], limits: ArchiveLimits) -> Listing:
    if len(infos) > limits.max_entries:
        raise PackageError(f"The package has {len(infos)} zip entries; at most {limits.max_entries} are allowed")
    files: dict[str, zipfile.ZipInfo] = {}
    legacy: set[str] = set()
    backslashed: list[tuple[str, str]] = []
    dotted: list[tuple[str, str]] = []
    total = compressed = 0
    for info in infos:
        raw, is_legacy = display_name(info)
        name = normalise(raw)
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
        if is_macos_litter(name):
            continue
        if name in files:
            raise PackageError(f"The package holds '{name}' more than once")
        files[name] = info
        if is_legacy:
            legacy.add(name)
        if "\\" in raw:
            backslashed.append((raw, name))
        elif raw != name:
            dotted.append((raw, name))
    if total > limits.max_total_bytes:
        raise PackageError(
            f"The package would decompress to {total} bytes; at most {limits.max_total_bytes} are allowed"
        )
    _check_ratio("The package", total, compressed, limits)
    folders = {name.rsplit("/", 1)[0] for name in files if "/" in name}
    clash = next((name for name in files if name in folders), None)
    if clash:
        raise PackageError(f"The package holds '{clash}' both as a file and as a folder")
    notes = (
        renamed_note(backslashed, "separate{s} folders with '\\'", "'/' was used instead"),
        renamed_note(dotted, "hold{s} './' or empty folder names", "those parts were dropped"),
    )
    return Listing(files, frozenset(legacy), tuple(note for note in notes if note))


def _check_ratio(label: str, size: int, compressed: int, limits: ArchiveLimits) -> None:
    if size <= RATIO_FLOOR_BYTES:
        return
    if compressed <= 0 or size / compressed > limits.max_ratio:
        raise PackageError(
            f"{label} would expand from {compressed} to {size} bytes (more than {limits.max_ratio} times), "
            "which looks like a zip bomb"
        )
