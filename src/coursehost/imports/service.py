"""The import service: every operation an import has, in the order an import goes through them.

Submitting turns what a client sent into a queued job row (an upload is staged in storage first); running turns a job
a worker claimed into a course version, or into ERROR having given back all it held; status reads a job back. The
endpoints and ``coursehost import`` call these and nothing else, and the worker pool (worker.py) hands each job it
claims to :meth:`Importer.run`. Checks are in checks.py, the job row's transactions in jobs.py, the package itself
is opened and parsed by :func:`coursehost.packages.open_package`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

from python_multipart.exceptions import MultipartParseError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from coursehost.content.writer import BlobWriter, Written
from coursehost.context import Context
from coursehost.imports import jobs
from coursehost.imports import repository as repo
from coursehost.imports.checks import Ask, media_metadata, new_job, parse_media_metadata
from coursehost.imports.jobs import ClaimedJob, NewJob, StoredFile
from coursehost.imports.postback import send_in_background
from coursehost.imports.schemas import (
    ImportFetchRequestSchema,
    ImportJobResultSchema,
    ImportMediaFileReferenceRequestSchema,
    ImportRequestSchema,
)
from coursehost.kit.caps import path_too_long
from coursehost.kit.errors import BadRequest, NotFound
from coursehost.kit.fetch import FetchError, FetchLimits, download_to
from coursehost.kit.multipart import Upload, read_upload
from coursehost.kit.schemas import as_utc
from coursehost.models import ImportJob, utcnow
from coursehost.packages import ArchiveLimits, OpenPackage, PackageError, Source, open_package

log = logging.getLogger(__name__)
PUBLISH_ATTEMPTS = 5
INTERNAL_ERROR = "The import failed because of an internal error; please try again"


class Importer:
    """Holds nothing but the context: one is made per request, and the worker pool keeps one for its threads."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    @property
    def archive_limits(self) -> ArchiveLimits:
        s = self.ctx.settings
        return ArchiveLimits(s.zip_max_entries, s.zip_max_total_bytes, s.zip_max_ratio, s.descriptor_max_bytes)

    @property
    def fetch_limits(self) -> FetchLimits:
        return FetchLimits.from_settings(self.ctx.settings)

    # ------------------------------------------------------------------------------------------------- submitting

    async def submit_upload(self, request: Request, app_pk: int, ask: Ask, uploaded_content_type: str) -> str:
        """createUploadAndImportCourseJob: check the parameters, answer 409 before the body is read when the course
        exists, stream the body to a temporary file, stage it at ``incoming/<jobId>`` and create the job. Whatever
        fails after the body was read leaves no file behind."""
        new = new_job(ask, "upload", uploaded_content_type)
        await run_in_threadpool(self._precheck, app_pk, new)
        path, upload = await self._receive(request)
        try:
            metadata = parse_media_metadata(upload.fields.get("contentMetadata"))
            new = replace(new, file_name=upload.filename, media_metadata=metadata)
            await run_in_threadpool(self._stage_and_create, app_pk, new, path)
        except BaseException:
            self._discard(new, path)
            raise
        return new.id

    def submit_file(self, app_pk: int, ask: Ask, copy: Callable[[BinaryIO], None]) -> str:
        """An upload from the shell (``coursehost import``): ``copy`` writes the package into the staging file."""
        new = new_job(ask, "upload", "application/zip")
        self._precheck(app_pk, new)
        handle, path = self.ctx.storage.temp_file()
        try:
            with handle:
                copy(handle)
            self._stage_and_create(app_pk, new, path)
        except BaseException:
            self._discard(new, path)
            raise
        return new.id

    def submit_no_upload(self, session: Session, app_pk: int, ask: Ask, body: ImportRequestSchema) -> str:
        """createNoUploadAndImportCourseJob: exactly one of its three requests."""
        given = [
            name
            for name, value in (
                ("fetchRequest", body.fetch_request),
                ("mediaFileReferenceRequest", body.media_file_reference_request),
                ("connectorReferenceRequest", body.connector_reference_request),
            )
            if value is not None
        ]
        if len(given) != 1:
            raise BadRequest(
                "Send exactly one of fetchRequest, mediaFileReferenceRequest or connectorReferenceRequest"
                + (f" (got {', '.join(given)})" if given else "")
            )
        if body.fetch_request is not None:
            return self.submit_fetch(session, app_pk, ask, body.fetch_request)
        if body.media_file_reference_request is None:
            raise BadRequest("connectorReferenceRequest imports (content connectors such as LTI 1.3) are not supported")
        return self.submit_media_reference(session, app_pk, ask, body.media_file_reference_request)

    def submit_fetch(self, session: Session, app_pk: int, ask: Ask, fetch: ImportFetchRequestSchema) -> str:
        """A package the worker downloads from ``fetch.url`` (createFetchAndImportCourseJob, or a fetchRequest)."""
        metadata = media_metadata(fetch.media_file_metadata)
        new = new_job(ask, "fetch", fetch.content_type, url=fetch.url, media_metadata=metadata)
        return jobs.create(session, app_pk, new, self.ctx.wakeup)

    def submit_media_reference(
        self, session: Session, app_pk: int, ask: Ask, reference: ImportMediaFileReferenceRequestSchema
    ) -> str:
        """A media file that stays at its URL (mediaFileReferenceRequest): only its descriptor will be stored."""
        new = new_job(
            ask, "reference", reference.content_type, url=reference.url, url_name="mediaFileReferenceRequest.url",
            media_only=True, media_metadata=media_metadata(reference.media_file_metadata),
        )  # fmt: skip
        return jobs.create(session, app_pk, new, self.ctx.wakeup)

    def status(self, session: Session, app_pk: int, job_id: str) -> ImportJobResultSchema:
        """getImportJobStatus: a job of this application, until ``job_retention_days`` after it finished."""
        job = repo.get_job(session, app_pk, job_id)
        retention = timedelta(days=self.ctx.settings.job_retention_days)
        if job is None or (job.finished is not None and as_utc(job.finished) < utcnow() - retention):
            raise NotFound(f"Could not find import job [{job_id}]")
        return jobs.result_of(job)

    def _precheck(self, app_pk: int, new: NewJob) -> None:
        with self.ctx.db.session() as session:
            jobs.precheck(session, app_pk, new)

    async def _receive(self, request: Request) -> tuple[Path, Upload]:
        """The body's 'file' part in a temporary file (the caller deletes it), and the rest of the body."""
        settings = self.ctx.settings
        try:
            upload = await read_upload(request, "file", self.ctx.storage.temp_file(), settings.max_upload_bytes)
        except MultipartParseError as exc:
            raise BadRequest(f"The multipart body could not be read: {exc}") from None
        if upload.file_path is None:
            raise BadRequest("The request has no 'file' part; send the package as the multipart field 'file'")
        return upload.file_path, upload

    def _stage_and_create(self, app_pk: int, new: NewJob, path: Path) -> None:
        self.ctx.storage.put_file(new.source, path)
        with self.ctx.db.session() as session:
            jobs.create(session, app_pk, new, self.ctx.wakeup)

    def _discard(self, new: NewJob, path: Path) -> None:
        """Give back what a submission that failed had received: its temporary file, or the upload it staged."""
        path.unlink(missing_ok=True)
        self.ctx.storage.delete(new.source)

    # ---------------------------------------------------------------------------------------------------- running

    def run(self, claimed: ClaimedJob) -> None:
        """Turn a claimed job into a course version, or end it in ERROR having given back everything it held; then
        post the job's result, exactly as it was recorded, to its postbackUrl."""
        job = claimed.job
        written: Written = []
        outcome: ImportJobResultSchema | None
        try:
            with self._package_file(job) as path, open_package(path, _source(job), self.archive_limits) as package:
                files = self._store(job.app_pk, package, written)
            outcome = self._publish(claimed, package, files)
        except (PackageError, FetchError) as exc:
            outcome = self.fail(job, exc.message, written)
        except Exception:
            log.exception("import job %s failed unexpectedly", job.id)
            outcome = self.fail(job, INTERNAL_ERROR, written)
        else:
            # Kept until COMPLETE was committed, so that a crash before it could run the job again.
            self._drop_upload(job)
        if outcome is not None:
            self._postback(job, outcome)

    def fail(self, job: ImportJob, message: str, written: Written | None = None) -> ImportJobResultSchema | None:
        """End the job in ERROR, release a course id reserved only for it, and give back the blobs it stored and its
        upload; None when the job row is gone.

        The job reads ERROR only once everything it held is given back, so a client that sees ERROR sees storage as
        it will stay. Should the process die in between, the job is still RUNNING and its lease brings it back.
        """
        with self.ctx.db.session() as session:
            if not jobs.release(session, job, written or []):
                return None
        if written:
            self.ctx.content.collect(job.app_pk, [sha for sha, _size in written], job_id=job.id)
        self._drop_upload(job)
        with self.ctx.db.session() as session:
            return jobs.end_in_error(session, job.id, message)

    @contextmanager
    def _package_file(self, job: ImportJob) -> Iterator[Path | None]:
        """The package as a local file: the staged upload, or a download; None for a media file left at its URL."""
        if job.source_kind == "reference":
            yield None
        elif job.source_kind == "upload":
            try:
                with self.ctx.storage.local_path(job.source) as path:
                    yield path
            except FileNotFoundError:
                raise PackageError("The uploaded package is no longer available; upload it again") from None
        else:
            handle, path = self.ctx.storage.temp_file()
            handle.close()
            try:
                download_to(job.source, path, self.fetch_limits)
                yield path
            finally:
                path.unlink(missing_ok=True)

    def _store(self, app_pk: int, package: OpenPackage, written: Written) -> list[StoredFile]:
        """Copy every file of the package into content-addressed blobs; each blob newly stored is added to
        ``written`` (by the time this returns or raises), so that a failure can give it back."""
        files: list[StoredFile] = []
        threads = self.ctx.settings.import_write_threads
        with BlobWriter(self.ctx.storage, app_pk, written, threads) as blobs:
            for relpath, stream in package.files():
                problem = path_too_long(relpath)
                if problem:
                    raise PackageError(f"The file name '{relpath[:200]}…' {problem}; such a file cannot be stored")
                sha256, size = blobs.add(stream)
                files.append((relpath, sha256, size))
        return files

    def _publish(self, claimed: ClaimedJob, package: OpenPackage, files: list[StoredFile]) -> ImportJobResultSchema:
        attempt = 1
        while True:
            try:
                with self.ctx.db.session() as session:
                    return jobs.publish(session, claimed, package, files, self.ctx.settings.resolved_content_url)
            except IntegrityError:
                # Another import of the same course took the version number first; count again.
                if attempt == PUBLISH_ATTEMPTS:
                    raise
                attempt += 1

    def _drop_upload(self, job: ImportJob) -> None:
        if job.source_kind == "upload":
            self.ctx.storage.delete(job.source)

    def _postback(self, job: ImportJob, outcome: ImportJobResultSchema) -> None:
        if not job.postback_url:
            return
        s = self.ctx.settings
        payload = outcome.model_dump(mode="json", by_alias=True, exclude_none=True)
        send_in_background(
            job.postback_url, payload, s.postback_attempts, s.postback_backoff_seconds, s.postback_timeout_seconds,
            s.outbound_allow,
        )  # fmt: skip


def _source(job: ImportJob) -> Source:
    return Source(
        course_id=job.course_id,
        content_type=job.content_type,
        file_name=job.file_name,
        url=job.source if job.source_kind in ("fetch", "reference") else None,
        media=job.media_metadata,
    )
