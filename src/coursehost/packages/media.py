"""Single-file media courses (PDF, MP3, MP4), uploaded, fetched, or referenced by URL.

SCORM Cloud plays these through a built-in media player that it runs as a cmi5 assignable unit, so a media course
reports ``courseLearningStandard`` CMI5 (see docs/decisions.md). The declared content type is checked against the
file's real signature, so a "PDF" that is not one is refused before it becomes a course.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from coursehost.packages.base import (
    Activity,
    CourseMetadata,
    LearningStandard,
    PackageError,
    PackageView,
    ParsedCourse,
)

MEDIA_STANDARD: LearningStandard = "CMI5"


@dataclass(frozen=True)
class MediaType:
    label: str
    extension: str


MEDIA_TYPES = {
    "application/pdf": MediaType("PDF", "pdf"),
    "audio/mpeg": MediaType("MP3", "mp3"),
    "audio/mp3": MediaType("MP3", "mp3"),
    "video/mp4": MediaType("MP4", "mp4"),
}


@dataclass(frozen=True)
class MediaInfo:
    title: str | None = None
    description: str | None = None
    language: str | None = None
    estimated_duration: int | None = None


def media_info(metadata: Mapping[str, Any] | None) -> MediaInfo:
    """The MediaFileMetadataSchema a client sent with a media file (JSON names), as a media course reads it."""
    data = metadata or {}
    duration = data.get("estimatedDuration")
    return MediaInfo(
        title=data.get("title"),
        description=data.get("description"),
        language=data.get("contentLanguage"),
        estimated_duration=int(duration) if isinstance(duration, int | float) else None,
    )


def media_type(content_type: str) -> MediaType | None:
    return MEDIA_TYPES.get(content_type.split(";", 1)[0].strip().lower())


def _looks_like(label: str, head: bytes) -> bool:
    if label == "PDF":
        # Some generators put a few bytes of junk before the header; readers accept it within the first KiB.
        return b"%PDF-" in head[:1024]
    if label == "MP3":
        return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)
    return head[4:8] == b"ftyp"


def check_signature(path: Path, content_type: str) -> MediaType:
    kind = media_type(content_type)
    if kind is None:
        raise PackageError(f"{content_type!r} is not a supported media type (PDF, MP3 or MP4)")
    with path.open("rb") as handle:
        head = handle.read(1024)
    if not head:
        raise PackageError("The uploaded file is empty")
    if not _looks_like(kind.label, head):
        raise PackageError(f"The file was sent as {content_type} but its contents are not a {kind.label} file")
    return kind


def file_name_for(name: str | None, kind: MediaType) -> str:
    """A safe storage name for the uploaded file: its own base name, or ``media.<ext>``."""
    base = posixpath.basename(unquote((name or "").replace("\\", "/"))).strip()
    if not base or base.startswith(".") or "\x00" in base:
        return f"media.{kind.extension}"
    return base


def name_from_url(url: str) -> str:
    return posixpath.basename(unquote(urlsplit(url).path))


def media_course(course_id: str, file_name: str, href: str, kind: MediaType, info: MediaInfo) -> ParsedCourse:
    stem = posixpath.splitext(file_name)[0] if file_name else ""
    title = (info.title or "").strip() or stem or course_id
    metadata = CourseMetadata(
        title=title,
        title_language=info.language,
        description=info.description,
        description_language=info.language if info.description else None,
        duration=f"PT{info.estimated_duration}S" if info.estimated_duration is not None else None,
    )
    activity = Activity(title=title, activity_type="SCO", item_identifier="media", href=href)
    root = Activity(title=title, activity_type="AGGREGATION", item_identifier="course", children=[activity])
    return ParsedCourse(
        standard=MEDIA_STANDARD,
        title=title,
        root_activity=root,
        languages=[info.language] if info.language else [],
        metadata=metadata,
    )


DESCRIPTOR = "coursehost-media.json"
_DESCRIPTOR_MAX = 64 * 1024


def media_descriptor(content_type: str, metadata: dict[str, Any] | None, *, file: str | None, url: str | None) -> bytes:
    """The small JSON file that makes a media course a package like any other: exported zips carry it, and a zip
    holding it imports back into the same media course."""
    body = {"contentType": content_type, "file": file, "url": url, "metadata": metadata or {}}
    return json.dumps({k: v for k, v in body.items() if v is not None}, indent=2, sort_keys=True).encode()


class MediaPackageFormat:
    name = "media"
    label = f"{DESCRIPTOR} (media course)"

    def matches(self, filename: str) -> bool:
        return filename == DESCRIPTOR

    def parse(self, package: PackageView, course_id: str) -> ParsedCourse:
        try:
            data = json.loads(package.read(DESCRIPTOR, _DESCRIPTOR_MAX))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PackageError(f"{DESCRIPTOR} is not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise PackageError(f"{DESCRIPTOR} must hold a JSON object")
        kind = media_type(str(data.get("contentType", "")))
        if kind is None:
            raise PackageError(f"{DESCRIPTOR} names content type {data.get('contentType')!r}; use PDF, MP3 or MP4")
        raw = data.get("metadata") or {}
        info = MediaInfo(
            title=raw.get("title"),
            description=raw.get("description"),
            language=raw.get("contentLanguage"),
            estimated_duration=raw.get("estimatedDuration") if isinstance(raw.get("estimatedDuration"), int) else None,
        )
        if isinstance(data.get("url"), str):
            url = data["url"]
            if urlsplit(url).scheme not in ("http", "https"):
                raise PackageError(f"{DESCRIPTOR} names the URL {url!r}, which is not http(s)")
            return media_course(course_id, name_from_url(url), url, kind, info)
        file = data.get("file")
        found = package.resolve(file) if isinstance(file, str) else None
        if found is None:
            raise PackageError(f"{DESCRIPTOR} names the file {file!r}, which is not in the package")
        return media_course(course_id, found, found, kind, info)
