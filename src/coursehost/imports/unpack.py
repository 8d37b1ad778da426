"""Turning whatever was uploaded or fetched into a parsed course plus files in storage.

Three shapes arrive: a zip package (SCORM, AICC, cmi5, xAPI), a single media file (PDF, MP3, MP4), or a bare
``cmi5.xml`` whose assignable units all live at absolute URLs. Everything is written under the job's own prefix.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from coursehost.content.store import ContentStore
from coursehost.kit.caps import path_too_long
from coursehost.packages import ArchiveLimits, PackageError, ParsedCourse, open_archive
from coursehost.packages.media import (
    DESCRIPTOR,
    MediaInfo,
    check_signature,
    file_name_for,
    media_course,
    media_descriptor,
    media_type,
    name_from_url,
)

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


@dataclass(frozen=True)
class Unpacked:
    parsed: ParsedCourse
    kind: str  # scorm | aicc | cmi5 | xapi | media
    files: list[tuple[str, str, int]] = field(default_factory=list)  # (path, sha256, size)

    @property
    def size(self) -> int:
        return sum(size for _path, _sha, size in self.files)


@dataclass(frozen=True)
class Source:
    course_id: str
    content_type: str
    file_name: str | None
    url: str | None
    media: dict[str, Any] | None


def media_info(data: dict[str, Any] | None) -> MediaInfo:
    data = data or {}
    duration = data.get("estimatedDuration")
    return MediaInfo(
        title=data.get("title"),
        description=data.get("description"),
        language=data.get("contentLanguage"),
        estimated_duration=int(duration) if isinstance(duration, int | float) else None,
    )


def referenced_media(source: Source, content: ContentStore, app_pk: int, written: list[tuple[str, int]]) -> Unpacked:
    """A media file left at its URL: only its descriptor is stored, the activity launches the URL itself."""
    kind = media_type(source.content_type)
    if kind is None or source.url is None:
        raise PackageError(f"{source.content_type!r} is not a supported media type (PDF, MP3 or MP4)")
    parsed = media_course(source.course_id, name_from_url(source.url), source.url, kind, media_info(source.media))
    descriptor = media_descriptor(source.content_type, source.media, file=None, url=source.url)
    return Unpacked(parsed, "media", [_store(content, app_pk, DESCRIPTOR, io.BytesIO(descriptor), written)])


def _store(
    content: ContentStore, app_pk: int, relpath: str, stream: BinaryIO, written: list[tuple[str, int]]
) -> tuple[str, str, int]:
    blob = content.write(app_pk, stream)
    if blob.new:
        written.append((blob.sha256, blob.size))
    return relpath, blob.sha256, blob.size


def unpack(
    path: Path,
    source: Source,
    content: ContentStore,
    app_pk: int,
    limits: ArchiveLimits,
    written: list[tuple[str, int]],
) -> Unpacked:
    """Parse and store the package; every blob this call newly stored is appended to ``written`` as it happens,
    so a failure later on can give them back."""

    def store(relpath: str, stream: BinaryIO, files: list[tuple[str, str, int]]) -> None:
        problem = path_too_long(relpath)
        if problem:
            raise PackageError(f"The file name '{relpath[:200]}…' {problem}; such a file cannot be stored")
        files.append(_store(content, app_pk, relpath, stream, written))

    files: list[tuple[str, str, int]] = []
    kind = media_type(source.content_type)
    if kind is not None:
        check_signature(path, source.content_type)
        name = file_name_for(source.file_name or (name_from_url(source.url) if source.url else None), kind)
        with path.open("rb") as handle:
            store(name, handle, files)
        descriptor = media_descriptor(source.content_type, source.media, file=name, url=None)
        store(DESCRIPTOR, io.BytesIO(descriptor), files)
        return Unpacked(media_course(source.course_id, name, name, kind, media_info(source.media)), "media", files)
    with path.open("rb") as handle:
        head = handle.read(512)
    if not head.startswith(ZIP_MAGIC) and _looks_like_xml(head):
        parsed = _bare_cmi5(path, source.course_id, limits)
        # Kept as the course's cmi5.xml, so the course can be exported, patched and re-imported like any package.
        with path.open("rb") as handle:
            store("cmi5.xml", handle, files)
        return Unpacked(parsed, "cmi5", files)
    with open_archive(path, limits) as archive:
        parsed = archive.parse(source.course_id)
        for relpath, stream in archive.content():
            store(relpath, stream, files)
        return Unpacked(parsed, archive.detection.format.name, files)


def _looks_like_xml(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    return text.startswith(b"<")


def _bare_cmi5(path: Path, course_id: str, limits: ArchiveLimits) -> ParsedCourse:
    from coursehost.packages.cmi5 import parse_cmi5_document

    if path.stat().st_size > limits.max_descriptor_bytes:
        raise PackageError(f"The uploaded XML document is larger than the {limits.max_descriptor_bytes}-byte limit")
    return parse_cmi5_document(path.read_bytes(), course_id)
