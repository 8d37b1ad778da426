"""Creating import jobs and reporting on them. The work itself happens in :mod:`coursehost.imports.pipeline`."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coursehost.content import repository as content_repo
from coursehost.courses import repository as course_repo
from coursehost.courses.service import check_tag_room, clean_tags
from coursehost.imports import repository as repo
from coursehost.imports.schemas import ImportJobResultSchema, ImportResultSchema, MediaFileMetadataSchema
from coursehost.kit.aftercommit import after_commit
from coursehost.kit.caps import COURSE_ID_MAX
from coursehost.kit.errors import BadRequest, Conflict, NotFound
from coursehost.kit.query import csv_values
from coursehost.kit.routing import check_json_text
from coursehost.kit.schemas import as_utc
from coursehost.models import Course, ImportJob, utcnow
from coursehost.packages.media import media_type

ZIP_TYPES = {"application/zip", "application/x-zip-compressed", "application/x-zip", "application/octet-stream"}
# A bare cmi5.xml whose assignable units live at absolute URLs is a course on its own.
XML_TYPES = {"text/xml", "application/xml"}
TAGS_PARAMETER = "query parameter 'tags'"


def new_job_id() -> str:
    return str(uuid.uuid4())


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


def validate_content_type(content_type: str, *, media_only: bool = False) -> str:
    base = content_type.split(";", 1)[0].strip().lower()
    if media_type(base) is not None or (not media_only and base in ZIP_TYPES | XML_TYPES):
        return base
    allowed = "application/pdf, audio/mpeg or video/mp4"
    if not media_only:
        allowed = "application/zip, text/xml (a cmi5.xml), " + allowed
    raise BadRequest(f"Content type {content_type!r} is not supported; use {allowed}")


def parse_media_metadata(raw: str | None) -> dict[str, Any] | None:
    """``contentMetadata`` arrives as a JSON string inside a multipart field."""
    if not raw:
        return None
    try:
        parsed = MediaFileMetadataSchema.model_validate_json(raw)
    except ValidationError as exc:
        raise BadRequest(f"Form field 'contentMetadata' is not a valid MediaFileMetadataSchema JSON: {exc}") from None
    dumped = parsed.model_dump(by_alias=True, exclude_none=True)
    check_json_text(dumped, "form field 'contentMetadata', field")
    return dumped


def conflict(course_id: str) -> Conflict:
    return Conflict(f"Course [{course_id}] already exists; pass mayCreateNewVersion=true to import it as a new version")


def import_tags(raw: Iterable[str] | None) -> list[str]:
    """The ``tags`` query parameter of the import operations (comma-joined, repeated or both; kit/query.py), checked
    as every tag is."""
    return clean_tags(csv_values(raw), TAGS_PARAMETER)


def precheck(session: Session, app_pk: int, course_id: str, may_create_new_version: bool, tags: list[str]) -> None:
    """Answer 409 (or 400 for tags that do not fit) before a large upload is read, when the answer is known."""
    course = course_repo.find_course(session, app_pk, course_id)
    if course is None:
        return
    if not may_create_new_version:
        raise conflict(course_id)
    check_tag_room(course, tags)


def create_job(
    session: Session,
    app_pk: int,
    course_id: str,
    *,
    job_id: str,
    may_create_new_version: bool,
    postback_url: str | None,
    tags: list[str],
    source_kind: str,
    source: str,
    content_type: str,
    notify: Callable[[str], None],
    file_name: str | None = None,
    media_metadata: dict[str, Any] | None = None,
) -> str:
    if postback_url:
        validate_url(postback_url, "postbackUrl")
    tags = clean_tags(tags, TAGS_PARAMETER)
    # Blob collection checks for active jobs under this lock; taking it here means it can never miss this one.
    content_repo.lock_application(session, app_pk)
    course = course_repo.find_course(session, app_pk, course_id, for_update=True)
    if course is not None and not may_create_new_version:
        raise conflict(course_id)
    if course is not None:
        check_tag_room(course, tags)
    if course is None:
        # Reserve the id: a concurrent import of the same new course now conflicts here instead of racing.
        try:
            with session.begin_nested():
                session.add(Course(app_pk=app_pk, course_id=course_id, title=course_id, latest_version=None))
        except IntegrityError:
            if not may_create_new_version:
                raise conflict(course_id) from None
    session.add(
        ImportJob(
            id=job_id,
            app_pk=app_pk,
            course_id=course_id,
            may_create_new_version=may_create_new_version,
            postback_url=postback_url or None,
            tags=tags,
            source_kind=source_kind,
            source=source,
            content_type=content_type,
            file_name=file_name,
            media_metadata=media_metadata,
        )
    )
    after_commit(session, lambda: notify(job_id))
    return job_id


def job_status(session: Session, app_pk: int, job_id: str, retention_days: int) -> ImportJobResultSchema:
    job = repo.get_job(session, app_pk, job_id)
    if job is None or (job.finished is not None and as_utc(job.finished) < utcnow() - timedelta(days=retention_days)):
        raise NotFound(f"Could not find import job [{job_id}]")
    return job_result(job)


def job_result(job: ImportJob) -> ImportJobResultSchema:
    status = {"complete": "COMPLETE", "error": "ERROR"}.get(job.state, "RUNNING")
    result = ImportResultSchema.model_validate(job.result) if job.result else None
    return ImportJobResultSchema(job_id=job.id, status=status, message=job.message, import_result=result)
