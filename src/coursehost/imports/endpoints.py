"""Import operations: upload, fetch, noUpload, and job status."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Header, Path, Query, Request
from python_multipart.exceptions import MultipartParseError
from starlette.concurrency import run_in_threadpool

from coursehost.auth.dependencies import AppDep
from coursehost.context import Context, ContextDep
from coursehost.imports import service
from coursehost.imports.pipeline import incoming_key
from coursehost.imports.schemas import (
    UPLOAD_FORM,
    ImportFetchRequestSchema,
    ImportJobResultSchema,
    ImportRequestSchema,
    StringResultSchema,
)
from coursehost.kit.errors import BadRequest
from coursehost.kit.multipart import read_upload
from coursehost.kit.query import CsvList
from coursehost.kit.routing import checked_router

router = checked_router(tags=["course"])

CourseIdQuery = Annotated[str, Query(alias="courseId")]
MayCreate = Annotated[bool, Query(alias="mayCreateNewVersion")]
PostbackUrl = Annotated[str | None, Query(alias="postbackUrl")]


def _create(
    ctx: Context,
    app_pk: int,
    course_id: str,
    may_create: bool,
    postback_url: str | None,
    tags: list[str],
    *,
    job_id: str,
    source_kind: str,
    source: str,
    content_type: str,
    file_name: str | None = None,
    media_metadata: dict[str, Any] | None = None,
) -> StringResultSchema:
    with ctx.db.session() as session:
        service.create_job(
            session,
            app_pk,
            course_id,
            job_id=job_id,
            may_create_new_version=may_create,
            postback_url=postback_url,
            tags=tags,
            source_kind=source_kind,
            source=source,
            content_type=content_type,
            notify=ctx.dispatcher.notify,
            file_name=file_name,
            media_metadata=media_metadata,
        )
    return StringResultSchema(result=job_id)


def _fetch(
    ctx: Context, app_pk: int, course_id: str, may_create: bool, postback_url: str | None, tags: list[str] | None,
    fetch: ImportFetchRequestSchema,
) -> StringResultSchema:  # fmt: skip
    service.validate_course_id(course_id)
    checked_tags = service.import_tags(tags)
    service.validate_url(fetch.url, "url")
    content_type = service.validate_content_type(fetch.content_type)
    metadata = (
        fetch.media_file_metadata.model_dump(by_alias=True, exclude_none=True) if fetch.media_file_metadata else None
    )
    return _create(
        ctx, app_pk, course_id, may_create, postback_url, checked_tags,
        job_id=service.new_job_id(), source_kind="fetch", source=fetch.url, content_type=content_type,
        media_metadata=metadata,
    )  # fmt: skip


@router.post("/courses/importJobs", operation_id="createFetchAndImportCourseJob", response_model=StringResultSchema)
def create_fetch_and_import_course_job(
    ctx: ContextDep,
    app: AppDep,
    body: ImportFetchRequestSchema,
    course_id: CourseIdQuery,
    may_create_new_version: MayCreate = False,
    postback_url: PostbackUrl = None,
    tags: CsvList = None,
) -> StringResultSchema:
    return _fetch(ctx, app.pk, course_id, may_create_new_version, postback_url, tags, body)


@router.post(
    "/courses/importJobs/noUpload", operation_id="createNoUploadAndImportCourseJob", response_model=StringResultSchema
)
def create_no_upload_and_import_course_job(
    ctx: ContextDep,
    app: AppDep,
    body: ImportRequestSchema,
    course_id: CourseIdQuery,
    may_create_new_version: MayCreate = False,
    postback_url: PostbackUrl = None,
    tags: CsvList = None,
) -> StringResultSchema:
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
        return _fetch(ctx, app.pk, course_id, may_create_new_version, postback_url, tags, body.fetch_request)
    reference = body.media_file_reference_request
    if reference is None:
        raise BadRequest("connectorReferenceRequest imports (content connectors such as LTI 1.3) are not supported")
    service.validate_course_id(course_id)
    checked_tags = service.import_tags(tags)
    service.validate_url(reference.url, "mediaFileReferenceRequest.url")
    content_type = service.validate_content_type(reference.content_type, media_only=True)
    metadata = reference.media_file_metadata
    return _create(
        ctx, app.pk, course_id, may_create_new_version, postback_url, checked_tags,
        job_id=service.new_job_id(), source_kind="reference", source=reference.url, content_type=content_type,
        media_metadata=metadata.model_dump(by_alias=True, exclude_none=True) if metadata else None,
    )  # fmt: skip


@router.post(
    "/courses/importJobs/upload",
    operation_id="createUploadAndImportCourseJob",
    response_model=StringResultSchema,
    openapi_extra=UPLOAD_FORM,
)
async def create_upload_and_import_course_job(
    request: Request,
    ctx: ContextDep,
    app: AppDep,
    course_id: CourseIdQuery,
    may_create_new_version: MayCreate = False,
    postback_url: PostbackUrl = None,
    tags: CsvList = None,
    uploaded_content_type: Annotated[str, Header(alias="uploadedContentType")] = "application/zip",
) -> StringResultSchema:
    service.validate_course_id(course_id)
    checked_tags = service.import_tags(tags)
    content_type = service.validate_content_type(uploaded_content_type)
    if postback_url:
        service.validate_url(postback_url, "postbackUrl")

    def precheck() -> None:
        with ctx.db.session() as session:
            service.precheck(session, app.pk, course_id, may_create_new_version, checked_tags)

    await run_in_threadpool(precheck)
    try:
        upload = await read_upload(request, "file", ctx.storage.temp_file(), ctx.settings.max_upload_bytes)
    except MultipartParseError as exc:
        raise BadRequest(f"The multipart body could not be read: {exc}") from None
    if upload.file_path is None:
        raise BadRequest("The request has no 'file' part; send the package as the multipart field 'file'")
    try:
        metadata = service.parse_media_metadata(upload.fields.get("contentMetadata"))
    except BadRequest:
        upload.file_path.unlink(missing_ok=True)
        raise
    job_id = service.new_job_id()
    key = incoming_key(job_id)
    try:
        await run_in_threadpool(ctx.storage.put_file, key, upload.file_path)
        return await run_in_threadpool(
            _create, ctx, app.pk, course_id, may_create_new_version, postback_url, checked_tags,
            job_id=job_id, source_kind="upload", source=key, content_type=content_type,
            file_name=upload.filename, media_metadata=metadata,
        )  # fmt: skip
    except BaseException:
        upload.file_path.unlink(missing_ok=True)
        ctx.storage.delete(key)
        raise


@router.get(
    "/courses/importJobs/{importJobId}",
    operation_id="getImportJobStatus",
    response_model=ImportJobResultSchema,
    response_model_exclude_none=True,
)
def get_import_job_status(
    ctx: ContextDep, app: AppDep, import_job_id: Annotated[str, Path(alias="importJobId")]
) -> ImportJobResultSchema:
    with ctx.db.session() as session:
        return service.job_status(session, app.pk, import_job_id, ctx.settings.job_retention_days)
