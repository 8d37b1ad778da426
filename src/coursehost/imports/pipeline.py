"""Running one import job: get the package, check and parse it, copy its files, then publish it atomically.

Files are stored as content-addressed blobs (see :mod:`coursehost.content.store`). The version row, its file list,
the job's COMPLETE state and the course's new latest version are written in one transaction; if that fails, or any
step before it, the job ends in ERROR, the blobs only it stored are given back and a course reserved only for it is
removed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coursehost.content import repository as content_repo
from coursehost.context import Context
from coursehost.courses import repository as course_repo
from coursehost.courses.activity_ids import version_activity_iri
from coursehost.courses.service import check_tag_room, to_schema
from coursehost.imports import repository as repo
from coursehost.imports.postback import send_in_background
from coursehost.imports.schemas import ImportResultSchema
from coursehost.imports.service import job_result
from coursehost.imports.unpack import Source, Unpacked, referenced_media, unpack
from coursehost.kit.caps import fit_title
from coursehost.kit.errors import CoursehostError
from coursehost.kit.fetch import FetchError, FetchLimits, download_to
from coursehost.kit.paths import encode_segment
from coursehost.models import Course, CourseVersion, ImportJob, utcnow
from coursehost.packages import Activity, ArchiveLimits, PackageError, ParsedCourse

log = logging.getLogger(__name__)
PUBLISH_ATTEMPTS = 5


INCOMING = "incoming"


def incoming_key(job_id: str) -> str:
    return f"{INCOMING}/{job_id}"


def activity_to_wire(activity: Activity) -> dict[str, Any]:
    wire = {
        "externalIdentifier": activity.external_identifier,
        "itemIdentifier": activity.item_identifier,
        "resourceIdentifier": activity.resource_identifier,
        "activityType": activity.activity_type,
        "href": activity.href,
        "scaledPassingScore": activity.scaled_passing_score,
        "title": activity.title,
        "children": [activity_to_wire(child) for child in activity.children],
    }
    return {k: v for k, v in wire.items() if v is not None}


class ImportRunner:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        s = ctx.settings
        self.archive_limits = ArchiveLimits(
            max_entries=s.zip_max_entries,
            max_total_bytes=s.zip_max_total_bytes,
            max_ratio=s.zip_max_ratio,
            max_descriptor_bytes=s.descriptor_max_bytes,
        )
        self.fetch_limits = FetchLimits(
            max_bytes=s.max_upload_bytes,
            connect_timeout=s.fetch_connect_timeout,
            read_timeout=s.fetch_read_timeout,
            max_redirects=s.fetch_max_redirects,
            outbound_allow=s.outbound_allow,
        )

    def run(self, job_id: str) -> None:
        with self.ctx.db.session() as session:
            loaded = repo.load_job(session, job_id)
            if loaded is None or loaded[0].state != "running":
                return
            job, app_id = loaded
            session.expunge(job)
        written: list[tuple[str, int]] = []
        source = Source(
            course_id=job.course_id,
            content_type=job.content_type,
            file_name=job.file_name,
            url=job.source if job.source_kind in ("fetch", "reference") else None,
            media=job.media_metadata,
        )
        try:
            if job.source_kind == "reference":
                unpacked = referenced_media(source, self.ctx.content, job.app_pk, written)
            else:
                with self._package(job) as path:
                    unpacked = unpack(path, source, self.ctx.content, job.app_pk, self.archive_limits, written)
            self._publish(job, app_id, unpacked)
        except (PackageError, FetchError) as exc:
            self.fail(job, exc.message, written)
        except Exception:
            log.exception("import job %s failed unexpectedly", job.id)
            self.fail(job, "The import failed because of an internal error; please try again", written)
        finally:
            if job.source_kind == "upload":
                self.ctx.storage.delete(incoming_key(job.id))
        self._postback(job.id)

    @contextmanager
    def _package(self, job: ImportJob) -> Iterator[Path]:
        if job.source_kind == "upload":
            try:
                with self.ctx.storage.local_path(job.source) as path:
                    yield path
            except FileNotFoundError:
                raise PackageError("The uploaded package is no longer available; upload it again") from None
            return
        tmp_handle, tmp_path = self.ctx.storage.temp_file()
        tmp_handle.close()
        try:
            download_to(job.source, tmp_path, self.fetch_limits)
            yield tmp_path
        finally:
            tmp_path.unlink(missing_ok=True)

    def _publish(self, job: ImportJob, app_id: str, unpacked: Unpacked) -> None:
        fit_parsed_title(unpacked.parsed)
        for attempt in range(PUBLISH_ATTEMPTS):
            try:
                with self.ctx.db.session() as session:
                    self._publish_once(session, job, app_id, unpacked)
                return
            except IntegrityError:
                # Another import of the same course took the version number first; count again.
                if attempt + 1 == PUBLISH_ATTEMPTS:
                    raise

    def _publish_once(self, session: Session, job: ImportJob, app_id: str, unpacked: Unpacked) -> None:
        parsed = unpacked.parsed
        now = utcnow()
        course = course_repo.find_course(session, job.app_pk, job.course_id, for_update=True)
        if course is None:
            course = Course(app_pk=job.app_pk, course_id=job.course_id, title=parsed.title, created=now)
            session.add(course)
            session.flush()
        elif course.latest_version is not None and not job.may_create_new_version:
            raise PackageError(
                f"Course [{job.course_id}] already exists; pass mayCreateNewVersion=true to import a new version"
            )
        latest = course_repo.max_version(session, course.pk)
        number = 0 if latest is None else latest + 1
        version = CourseVersion(
            course_pk=course.pk,
            number=number,
            title=parsed.title,
            learning_standard=parsed.standard,
            package_kind=unpacked.kind,
            xapi_activity_id=version_activity_iri(app_id, job.course_id, parsed),
            root_activity=activity_to_wire(parsed.root_activity),
            course_metadata=metadata_to_wire(parsed),
            languages=parsed.languages,
            parser_warnings=parsed.warnings,
            size_bytes=unpacked.size,
            created=now,
            updated=now,
        )
        session.add(version)
        if course.latest_version is None:
            course.created = now
        course.latest_version = number
        course.title = parsed.title
        course.updated = now
        try:
            check_tag_room(course, job.tags)
        except CoursehostError as exc:  # tags added to the course since the job was accepted
            raise PackageError(exc.message) from None
        course_repo.add_tags(session, course, job.tags)
        session.flush()
        content_repo.ensure_blobs(session, job.app_pk, ((sha, size) for _path, sha, size in unpacked.files))
        content_repo.add_files(
            session, job.app_pk, version.pk, [(p, sha, size, now) for p, sha, size in unpacked.files]
        )
        web_path = (
            f"{self.ctx.settings.resolved_content_url}/content/courses/{app_id}/"
            f"{encode_segment(job.course_id)}/{number}/"
        )
        result = ImportResultSchema(
            web_path_to_course=web_path,
            parser_warnings=parsed.warnings,
            course_languages=parsed.languages,
            course=to_schema(course, version, metadata=False, registrations=False),
        )
        stored = session.get(ImportJob, job.id)
        if stored is None:  # the application was deleted while its job ran
            raise PackageError("The import job no longer exists")
        stored.state, stored.message, stored.finished = "complete", "Import Successful", now
        stored.result = result.model_dump(mode="json", by_alias=True, exclude_none=True)
        stored.lease_until = None

    def fail(self, job: ImportJob, message: str, written: list[tuple[str, int]] | None = None) -> None:
        """End the job in ERROR, release a course id reserved only for it, and give back the blobs it stored.

        The job reads ERROR only once everything it held is given back, so a client that sees ERROR sees storage as
        it will stay. Should the process die in between, the job is still RUNNING and its lease brings it back.
        """
        with self.ctx.db.session() as session:
            if session.get(ImportJob, job.id) is None:
                return
            course = course_repo.find_course(session, job.app_pk, job.course_id, for_update=True)
            if (
                course is not None
                and course.latest_version is None
                and not repo.other_active_jobs(session, job.app_pk, job.course_id, job.id)
            ):
                session.delete(course)
            # Rows first, so the collector can see (and free) the blobs nobody else uses.
            content_repo.ensure_blobs(session, job.app_pk, written or [])
        if written:
            self.ctx.content.collect(job.app_pk, [sha for sha, _size in written], job_id=job.id)
        if job.source_kind == "upload":
            self.ctx.storage.delete(job.source)
        with self.ctx.db.session() as session:
            stored = session.get(ImportJob, job.id)
            if stored is not None:
                stored.state, stored.message, stored.finished, stored.lease_until = "error", message, utcnow(), None

    def _postback(self, job_id: str) -> None:
        with self.ctx.db.session() as session:
            job = session.get(ImportJob, job_id)
            if job is None or not job.postback_url or job.state not in ("complete", "error"):
                return
            url, payload = job.postback_url, job_result(job).model_dump(mode="json", by_alias=True, exclude_none=True)
        s = self.ctx.settings
        send_in_background(
            url, payload, s.postback_attempts, s.postback_backoff_seconds, s.postback_timeout_seconds, s.outbound_allow
        )


def fit_parsed_title(parsed: ParsedCourse) -> None:
    """Store a title no longer than the cap (``kit.caps.fit_title``), saying so in ``parserWarnings``: a real-world
    package with an overlong title still imports."""
    parsed.title, warning = fit_title(parsed.title)
    if warning:
        parsed.warnings.append(warning)


def metadata_to_wire(parsed: ParsedCourse) -> dict[str, Any] | None:
    if parsed.metadata is None:
        return None
    data = asdict(parsed.metadata)
    wire = {
        "title": data["title"],
        "titleLanguage": data["title_language"],
        "description": data["description"],
        "descriptionLanguage": data["description_language"],
        "duration": data["duration"],
        "typicalTime": data["typical_time"],
        "keywords": data["keywords"],
    }
    return {k: v for k, v in wire.items() if v not in (None, [])}
