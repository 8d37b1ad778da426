"""Import operations: upload, fetch, noUpload, and job status. Each is a call to the import service (service.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request

from coursehost.auth.dependencies import AppDep, TransferAppDep
from coursehost.context import ContextDep, SessionDep
from coursehost.imports.checks import Ask
from coursehost.imports.schemas import (
    UPLOAD_FORM,
    ImportFetchRequestSchema,
    ImportJobResultSchema,
    ImportRequestSchema,
    StringResultSchema,
)
from coursehost.imports.service import Importer
from coursehost.kit.query import CsvList
from coursehost.kit.routing import checked_router

router = checked_router(tags=["course"])


async def importer(ctx: ContextDep) -> Importer:
    # async: it does no I/O, and a sync dependency would cost a thread-pool hop on every request.
    return Importer(ctx)


ImporterDep = Annotated[Importer, Depends(importer)]


def ask(
    course_id: Annotated[str, Query(alias="courseId")],
    may_create_new_version: Annotated[bool, Query(alias="mayCreateNewVersion")] = False,
    postback_url: Annotated[str | None, Query(alias="postbackUrl")] = None,
    tags: CsvList = None,
) -> Ask:
    """The query parameters the three import operations share."""
    return Ask(course_id, may_create_new_version, postback_url, tags)


AskDep = Annotated[Ask, Depends(ask)]


@router.post("/courses/importJobs", operation_id="createFetchAndImportCourseJob", response_model=StringResultSchema)
def create_fetch_and_import_course_job(
    imports: ImporterDep, session: SessionDep, app: AppDep, asked: AskDep, body: ImportFetchRequestSchema
) -> StringResultSchema:
    return StringResultSchema(result=imports.submit_fetch(session, app.pk, asked, body))


@router.post(
    "/courses/importJobs/noUpload", operation_id="createNoUploadAndImportCourseJob", response_model=StringResultSchema
)
def create_no_upload_and_import_course_job(
    imports: ImporterDep, session: SessionDep, app: AppDep, asked: AskDep, body: ImportRequestSchema
) -> StringResultSchema:
    return StringResultSchema(result=imports.submit_no_upload(session, app.pk, asked, body))


@router.post(
    "/courses/importJobs/upload",
    operation_id="createUploadAndImportCourseJob",
    response_model=StringResultSchema,
    openapi_extra=UPLOAD_FORM,
)
async def create_upload_and_import_course_job(
    request: Request,
    imports: ImporterDep,
    app: TransferAppDep,
    asked: AskDep,
    uploaded_content_type: Annotated[str, Header(alias="uploadedContentType")] = "application/zip",
) -> StringResultSchema:
    # No SessionDep, and authentication in a transaction of its own (TransferAppDep): nothing may hold a connection
    # while the body arrives. The 409 is answered before the body is read and the job created after it was staged, in
    # two transactions of their own.
    return StringResultSchema(result=await imports.submit_upload(request, app.pk, asked, uploaded_content_type))


@router.get(
    "/courses/importJobs/{importJobId}",
    operation_id="getImportJobStatus",
    response_model=ImportJobResultSchema,
    response_model_exclude_none=True,
)
def get_import_job_status(
    imports: ImporterDep, session: SessionDep, app: AppDep, import_job_id: Annotated[str, Path(alias="importJobId")]
) -> ImportJobResultSchema:
    return imports.status(session, app.pk, import_job_id)
