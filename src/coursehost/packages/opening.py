"""What kind of package arrived, decided in one place, and the package opened and parsed.

Three shapes arrive: a zip (SCORM, AICC, cmi5, xAPI, or coursehost's own media export; the registry's formats), a
single media file (PDF, MP3, MP4), or a bare ``cmi5.xml`` whose assignable units all live at absolute URLs. A media
file may also stay at its URL, with no bytes at all. The declared content type is accepted or refused when the import
is asked for (:func:`accepted_content_type`); :func:`open_package` then decides from that type and the bytes
themselves. A changed descriptor of a stored course is parsed by :func:`parse_in_place`. Every refusal is a
:class:`PackageError`, whose message is for the person who sent the package; what it becomes (a 400, a job in
ERROR) is the caller's choice.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from coursehost.packages.archive import open_archive
from coursehost.packages.base import PackageError, PackageView, ParsedCourse
from coursehost.packages.cmi5 import parse_cmi5_document
from coursehost.packages.limits import ArchiveLimits
from coursehost.packages.media import (
    DESCRIPTOR,
    check_signature,
    file_name_for,
    media_course,
    media_descriptor,
    media_info,
    media_type,
    name_from_url,
)
from coursehost.packages.registry import FORMATS, detect

ZIP_TYPES = frozenset(
    {"application/zip", "application/x-zip-compressed", "application/x-zip", "application/octet-stream"}
)
# A bare cmi5.xml whose assignable units live at absolute URLs is a course on its own.
XML_TYPES = frozenset({"text/xml", "application/xml"})
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

Files = Callable[[], Iterator[tuple[str, BinaryIO]]]


def accepted_content_type(content_type: str, *, media_only: bool = False) -> str:
    """The declared content type, normalised, if a package of that type can be imported (only a media type where
    ``media_only``: a file left at its URL must be one)."""
    base = content_type.split(";", 1)[0].strip().lower()
    if media_type(base) is not None or (not media_only and base in ZIP_TYPES | XML_TYPES):
        return base
    allowed = "application/pdf, audio/mpeg or video/mp4"
    if not media_only:
        allowed = "application/zip, text/xml (a cmi5.xml), " + allowed
    raise PackageError(f"Content type {content_type!r} is not supported; use {allowed}")


@dataclass(frozen=True)
class Source:
    """What is known of a package besides its bytes."""

    course_id: str
    content_type: str
    file_name: str | None = None
    """The uploaded file's own name (a media course keeps it)."""
    url: str | None = None
    """Where the package was fetched from, or where a media file left at its URL stays."""
    media: dict[str, Any] | None = None
    """The MediaFileMetadataSchema the caller sent (JSON names)."""


@dataclass(frozen=True)
class Package:
    """A parsed package: the format that parsed it (``scorm``, ``aicc``, ``cmi5``, ``xapi`` or ``media``, the
    version's ``package_kind``) and the course it describes."""

    kind: str
    parsed: ParsedCourse


@dataclass(frozen=True)
class OpenPackage(Package):
    files: Files
    """Every file the course keeps, as (path relative to the course root, stream), one at a time: copy each stream
    before asking for the next. Valid while the package is open."""


@contextmanager
def open_package(path: Path | None, source: Source, limits: ArchiveLimits) -> Iterator[OpenPackage]:
    """Decide what ``path`` holds (None: a media file left at ``source.url``), check it and parse it.

    Raises PackageError when it cannot become a course; OSError when the file cannot be read at all.
    """
    kind = media_type(source.content_type)
    if path is None:
        yield _referenced_media(source)
    elif kind is not None:
        yield _media_file(path, source)
    elif _is_bare_xml(path):
        yield _bare_cmi5(path, source.course_id, limits)
    else:
        with open_archive(path, limits) as archive:
            yield OpenPackage(archive.detection.format.name, archive.parse(source.course_id), archive.content)


def is_descriptor(kind: str, path: str) -> bool:
    """Whether ``path`` (relative to the course root) is the descriptor of a package of this kind."""
    if "/" in path:
        return False
    return any(fmt.name == kind and fmt.matches(path.lower()) for fmt in FORMATS)


def parse_in_place(view: PackageView, course_id: str) -> Package:
    """Parse the files of a stored course, one of them replaced: the descriptor must stay at the course root."""
    detection = detect(view.names)
    if detection.root:
        raise PackageError(f"the course descriptor must be at the course root, not in '{detection.root}'")
    return Package(detection.format.name, detection.format.parse(view, course_id))


def _referenced_media(source: Source) -> OpenPackage:
    """A media file left at its URL: only its descriptor is kept, and the activity launches the URL itself."""
    kind = media_type(source.content_type)
    if kind is None or source.url is None:
        raise PackageError(f"{source.content_type!r} is not a supported media type (PDF, MP3 or MP4)")
    url = source.url
    parsed = media_course(source.course_id, name_from_url(url), url, kind, media_info(source.media))
    descriptor = media_descriptor(source.content_type, source.media, file=None, url=url)
    return OpenPackage("media", parsed, lambda: iter([(DESCRIPTOR, io.BytesIO(descriptor))]))


def _media_file(path: Path, source: Source) -> OpenPackage:
    kind = check_signature(path, source.content_type)
    name = file_name_for(source.file_name or (name_from_url(source.url) if source.url else None), kind)
    descriptor = media_descriptor(source.content_type, source.media, file=name, url=None)

    def files() -> Iterator[tuple[str, BinaryIO]]:
        with path.open("rb") as handle:
            yield name, handle
        yield DESCRIPTOR, io.BytesIO(descriptor)

    return OpenPackage("media", media_course(source.course_id, name, name, kind, media_info(source.media)), files)


def _is_bare_xml(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(512)
    return not head.startswith(ZIP_MAGIC) and head.lstrip(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def _bare_cmi5(path: Path, course_id: str, limits: ArchiveLimits) -> OpenPackage:
    if path.stat().st_size > limits.max_descriptor_bytes:
        raise PackageError(f"The uploaded XML document is larger than the {limits.max_descriptor_bytes}-byte limit")
    parsed = parse_cmi5_document(path.read_bytes(), course_id)

    # Kept as the course's cmi5.xml, so the course can be exported, patched and re-imported like any package.
    def files() -> Iterator[tuple[str, BinaryIO]]:
        with path.open("rb") as handle:
            yield "cmi5.xml", handle

    return OpenPackage("cmi5", parsed, files)
