"""An import job's row through its life, one transaction each: created (with its course id reserved), claimed by a
worker, published as a course version (COMPLETE), or given back and ended (ERROR). The service (service.py) calls
these in order; the SQL itself is in repository.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coursehost.content import repository as content_repo
from coursehost.courses import repository as course_repo
from coursehost.courses.from_package import describe_version
from coursehost.courses.service import check_tag_room, to_schema
from coursehost.imports import repository as repo
from coursehost.imports.schemas import ImportJobResultSchema, ImportResultSchema
from coursehost.kit.aftercommit import after_commit
from coursehost.kit.errors import Conflict, CoursehostError
from coursehost.kit.paths import encode_segment
from coursehost.kit.wakeup import Wakeup
from coursehost.models import Course, CourseVersion, ImportJob, utcnow
from coursehost.packages import Package, PackageError
from coursehost.xapi.links.service import refresh_version_activities

# Uploads wait here, at incoming/<jobId>, from the request that sent them until their job has ended.
INCOMING = "incoming"
COMPLETE_MESSAGE = "Import Successful"

StoredFile = tuple[str, str, int]  # (path in the course, sha256, size)


def incoming_key(job_id: str) -> str:
    return f"{INCOMING}/{job_id}"


@dataclass(frozen=True)
class NewJob:
    """A job about to be created, every part of it checked (checks.py)."""

    id: str
    course_id: str
    may_create_new_version: bool
    postback_url: str | None
    tags: list[str]
    source_kind: str
    """``upload`` (``source`` is the staged key), ``fetch`` (the URL to download) or ``reference`` (a media URL)."""
    source: str
    content_type: str
    file_name: str | None = None
    media_metadata: dict[str, Any] | None = None


@dataclass(frozen=True)
class ClaimedJob:
    """A job a worker holds the lease on, loaded once when it was claimed (detached from any session)."""

    job: ImportJob
    app_id: str


def conflict(course_id: str) -> Conflict:
    return Conflict(f"Course [{course_id}] already exists; pass mayCreateNewVersion=true to import it as a new version")


def precheck(session: Session, app_pk: int, new: NewJob) -> None:
    """Answer 409 (or 400 for tags that do not fit) before a large upload is read, when the answer is known."""
    course = course_repo.find_course(session, app_pk, new.course_id)
    if course is None:
        return
    if not new.may_create_new_version:
        raise conflict(new.course_id)
    check_tag_room(course, new.tags)


def create(session: Session, app_pk: int, new: NewJob, wakeup: Wakeup) -> str:
    """Insert the job row, reserving the course id of a new course; workers are woken once the row is committed."""
    # Blob collection checks for active jobs under this lock; taking it here means it can never miss this one.
    content_repo.lock_application(session, app_pk)
    course = course_repo.find_course(session, app_pk, new.course_id, for_update=True)
    if course is not None and not new.may_create_new_version:
        raise conflict(new.course_id)
    if course is not None:
        check_tag_room(course, new.tags)
    if course is None:
        # Reserve the id: a concurrent import of the same new course now conflicts here instead of racing.
        try:
            with session.begin_nested():
                session.add(Course(app_pk=app_pk, course_id=new.course_id, title=new.course_id, latest_version=None))
        except IntegrityError:
            if not new.may_create_new_version:
                raise conflict(new.course_id) from None
    session.add(
        ImportJob(
            id=new.id,
            app_pk=app_pk,
            course_id=new.course_id,
            may_create_new_version=new.may_create_new_version,
            postback_url=new.postback_url or None,
            tags=new.tags,
            source_kind=new.source_kind,
            source=new.source,
            content_type=new.content_type,
            file_name=new.file_name,
            media_metadata=new.media_metadata,
        )
    )
    after_commit(session, wakeup.notify)
    return new.id


def claim(session: Session, job_id: str, now: datetime, lease_until: datetime) -> ClaimedJob | None:
    """Take the job (queued, or running with a lease that ran out) and load it, or None if another worker has it."""
    if not repo.claim(session, job_id, now, lease_until):
        return None
    loaded = repo.load_job(session, job_id)
    if loaded is None:
        return None
    job, app_id = loaded
    session.expunge(job)
    return ClaimedJob(job, app_id)


def publish(
    session: Session, claimed: ClaimedJob, package: Package, files: list[StoredFile], content_url: str
) -> ImportJobResultSchema:
    """Number and insert the version with its file list, move the course to it, apply the import's tags and mark the
    job COMPLETE, all in the caller's transaction; return the job's result as it now reads."""
    job, now = claimed.job, utcnow()
    version = CourseVersion(size_bytes=sum(size for _path, _sha, size in files), created=now, updated=now)
    describe_version(version, package, app_id=claimed.app_id, course_id=job.course_id)
    course = course_repo.find_course(session, job.app_pk, job.course_id, for_update=True)
    if course is None:
        course = Course(app_pk=job.app_pk, course_id=job.course_id, title=version.title, created=now)
        session.add(course)
        session.flush()
    elif course.latest_version is not None and not job.may_create_new_version:
        raise PackageError(
            f"Course [{job.course_id}] already exists; pass mayCreateNewVersion=true to import a new version"
        )
    latest = course_repo.max_version(session, course.pk)
    version.course_pk, version.number = course.pk, 0 if latest is None else latest + 1
    session.add(version)
    if course.latest_version is None:
        course.created = now
    course.latest_version, course.title, course.updated = version.number, version.title, now
    try:
        check_tag_room(course, job.tags)
    except CoursehostError as exc:  # tags added to the course since the job was accepted
        raise PackageError(exc.message) from None
    course_repo.add_tags(session, course, job.tags)
    session.flush()
    refresh_version_activities(session, job.app_pk, version)
    content_repo.ensure_blobs(session, job.app_pk, ((sha, size) for _path, sha, size in files))
    content_repo.add_files(session, job.app_pk, version.pk, [(p, sha, size, now) for p, sha, size in files])
    result = ImportResultSchema(
        web_path_to_course=(
            f"{content_url}/content/courses/{claimed.app_id}/{encode_segment(job.course_id)}/{version.number}/"
        ),
        parser_warnings=package.parsed.warnings,
        course_languages=package.parsed.languages,
        course=to_schema(course, version, metadata=False, registrations=False),
    )
    recorded = result.model_dump(mode="json", by_alias=True, exclude_none=True)
    if not repo.finish(session, job.id, "complete", COMPLETE_MESSAGE, now, recorded):
        raise PackageError("The import job no longer exists")  # the application was deleted while its job ran
    return ImportJobResultSchema(job_id=job.id, status="COMPLETE", message=COMPLETE_MESSAGE, import_result=result)


def release(session: Session, job: ImportJob, written: list[tuple[str, int]]) -> bool:
    """Delete a course row reserved only for this job and record the blobs it stored (so the collector can see and
    free those nobody else uses). False when the job row is gone (its application was deleted)."""
    if not repo.job_exists(session, job.id):
        return False
    course = course_repo.find_course(session, job.app_pk, job.course_id, for_update=True)
    if (
        course is not None
        and course.latest_version is None
        and not repo.other_active_jobs(session, job.app_pk, job.course_id, job.id)
    ):
        session.delete(course)
    content_repo.ensure_blobs(session, job.app_pk, written)
    return True


def end_in_error(session: Session, job_id: str, message: str) -> ImportJobResultSchema | None:
    """Mark the job ERROR; return its result as it now reads, or None when the row is gone."""
    if not repo.finish(session, job_id, "error", message, utcnow()):
        return None
    return ImportJobResultSchema(job_id=job_id, status="ERROR", message=message)


def result_of(job: ImportJob) -> ImportJobResultSchema:
    status = {"complete": "COMPLETE", "error": "ERROR"}.get(job.state, "RUNNING")
    result = ImportResultSchema.model_validate(job.result) if job.result else None
    return ImportJobResultSchema(job_id=job.id, status=status, message=job.message, import_result=result)
