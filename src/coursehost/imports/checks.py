"""What a client asks an import for, checked once, before anything is stored: the course id, the tags, the source's
URL and content type, then the postback URL. Every refusal is a 400 naming the parameter."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from coursehost.courses.service import clean_tags
from coursehost.imports.jobs import NewJob, incoming_key
from coursehost.imports.schemas import MediaFileMetadataSchema
from coursehost.kit.caps import COURSE_ID_MAX
from coursehost.kit.errors import BadRequest
from coursehost.kit.query import csv_values
from coursehost.kit.routing import check_json_text
from coursehost.packages import PackageError, accepted_content_type

TAGS_PARAMETER = "query parameter 'tags'"


@dataclass(frozen=True)
class Ask:
    """The query parameters every import operation takes, as the client sent them."""

    course_id: str
    may_create_new_version: bool = False
    postback_url: str | None = None
    tags: Iterable[str] | None = None


def new_job(
    ask: Ask,
    source_kind: str,
    content_type: str,
    *,
    url: str | None = None,
    url_name: str = "url",
    media_only: bool = False,
    media_metadata: dict[str, Any] | None = None,
) -> NewJob:
    """The job ``ask`` makes of a source (an upload is staged at its job's ``incoming/<jobId>``)."""
    course_id = validate_course_id(ask.course_id)
    tags = import_tags(ask.tags)
    if url is not None:
        validate_url(url, url_name)
    try:
        content_type = accepted_content_type(content_type, media_only=media_only)
    except PackageError as exc:
        raise BadRequest(exc.message) from None
    if ask.postback_url:
        validate_url(ask.postback_url, "postbackUrl")
    job_id = str(uuid.uuid4())
    return NewJob(
        id=job_id,
        course_id=course_id,
        may_create_new_version=ask.may_create_new_version,
        postback_url=ask.postback_url or None,
        tags=tags,
        source_kind=source_kind,
        source=incoming_key(job_id) if url is None else url,
        content_type=content_type,
        media_metadata=media_metadata,
    )


def validate_course_id(course_id: str) -> str:
    if not course_id or not course_id.strip():
        raise BadRequest("query parameter 'courseId' is required and must not be empty")
    if len(course_id) > COURSE_ID_MAX:
        raise BadRequest(f"query parameter 'courseId' must be at most {COURSE_ID_MAX} characters long")
    if any(unicodedata.category(ch) == "Cc" for ch in course_id):
        raise BadRequest("query parameter 'courseId' must not contain control characters")
    if course_id in (".", ".."):
        # As a path segment of webPathToCourse a browser would resolve it away and load another path.
        raise BadRequest(f"query parameter 'courseId' must not be '{course_id}'")
    return course_id


def validate_url(url: str, name: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadRequest(f"'{name}' must be an absolute http or https URL (got {url!r})")
    return url


def import_tags(raw: Iterable[str] | None) -> list[str]:
    """The ``tags`` query parameter of the import operations (comma-joined, repeated or both; kit/query.py), checked
    as every tag is."""
    return clean_tags(csv_values(raw), TAGS_PARAMETER)


def media_metadata(schema: MediaFileMetadataSchema | None) -> dict[str, Any] | None:
    return schema.model_dump(by_alias=True, exclude_none=True) if schema else None


def parse_media_metadata(raw: str | None) -> dict[str, Any] | None:
    """``contentMetadata`` arrives as a JSON string inside a multipart field."""
    if not raw:
        return None
    try:
        parsed = MediaFileMetadataSchema.model_validate_json(raw)
    except ValidationError as exc:
        raise BadRequest(f"Form field 'contentMetadata' is not a valid MediaFileMetadataSchema JSON: {exc}") from None
    dumped = media_metadata(parsed)
    check_json_text(dumped, "form field 'contentMetadata', field")
    return dumped
