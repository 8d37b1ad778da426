"""Asset operations: upload or fetch a file into a version, list, download, delete, and export as a zip.

Most handlers work in the request's session. Uploading and fetching wait on a transfer (the client's body, another
server) before they can write, so they authenticate in a transaction of their own (``TransferAppDep``) and open
their other transactions themselves: none is held while the bytes arrive."""

from __future__ import annotations

import mimetypes
import posixpath
import re
from pathlib import Path as FsPath
from typing import Annotated

from fastapi import Path, Query, Request, Response
from fastapi.responses import FileResponse
from python_multipart.exceptions import MultipartParseError
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

import coursehost.kit.paths  # noqa: F401  (registers the "segment" path convertor)
from coursehost.assets import service
from coursehost.assets.export import build_zip
from coursehost.assets.paths import course_path
from coursehost.assets.schemas import UPLOAD_FORM, AssetFileSchema, FileListSchema, ImportAssetRequestSchema
from coursehost.auth.dependencies import AppDep, TransferAppDep
from coursehost.content import repository as content_repo
from coursehost.context import Context, ContextDep, SessionDep
from coursehost.imports.checks import validate_url
from coursehost.kit.downloads import FILE_RESPONSES, ZIP_RESPONSES, disposition, stream_file
from coursehost.kit.errors import BadRequest
from coursehost.kit.fetch import FetchError, FetchLimits, download
from coursehost.kit.multipart import read_upload
from coursehost.kit.params import VersionId
from coursehost.kit.routing import checked_router
from coursehost.packages.media import name_from_url

router = checked_router(tags=["course"])
CourseId = Annotated[str, Path(alias="courseId")]
RelativePath = Annotated[str, Query(alias="relativePath")]
PolicyQuery = Annotated[service.Policy, Query(alias="updateAssetPolicy")]
COURSE = "/courses/{courseId:segment}"
VERSION = "/courses/{courseId:segment}/versions/{versionId}"


async def _upload(
    request: Request, ctx: Context, app_pk: int, course_id: str, version: int | None, policy: service.Policy
) -> AssetFileSchema:
    try:
        upload = await read_upload(request, "file", ctx.storage.temp_file(), ctx.settings.max_upload_bytes)
    except MultipartParseError as exc:
        raise BadRequest(f"The multipart body could not be read: {exc}") from None
    if upload.file_path is None:
        raise BadRequest("The request has no 'file' part; send the asset as the multipart field 'file'")
    try:
        policy = _form_policy(
            upload.fields.get("updateAssetPolicy"), request.query_params.get("updateAssetPolicy"), policy
        )
        new = service.NewFile(upload.file_path, upload.filename)
        destination = upload.fields.get("destination")
        return await run_in_threadpool(_put, ctx, app_pk, course_id, version, destination, new, policy)
    finally:
        upload.file_path.unlink(missing_ok=True)


def _put(
    ctx: Context,
    app_pk: int,
    course_id: str,
    version: int | None,
    destination: str | None,
    new: service.NewFile,
    policy: service.Policy,
) -> AssetFileSchema:
    # The write, once the file is staged: a transaction of its own, committed in this thread before the answer.
    with ctx.db.session() as session:
        return service.put_asset(session, ctx, app_pk, course_id, version, destination, new, policy)


def _form_policy(form: str | None, query: str | None, policy: service.Policy) -> service.Policy:
    """Some clients send updateAssetPolicy as a form field rather than in the query: it is honoured, and checked."""
    if form is None:
        return policy
    chosen = next((p for p in service.POLICIES if p == form), None)
    if chosen is None:
        raise BadRequest(f"form field 'updateAssetPolicy' must be reject, strict or lax (got {form[:100]!r})")
    if query is not None and form != query:
        raise BadRequest(f"updateAssetPolicy is {query!r} in the query but {form!r} in the form; send it once")
    return chosen


def _fetch(
    ctx: Context,
    app_pk: int,
    course_id: str,
    version: int | None,
    body: ImportAssetRequestSchema,
    policy: service.Policy,
) -> AssetFileSchema:
    validate_url(body.fetch_url, "fetchUrl")
    course_path(body.destination, "destination")  # refuse a bad destination, or a missing course, before downloading
    with ctx.db.session() as session:  # over before the download starts
        service.target(session, app_pk, course_id, version)
    s = ctx.settings
    limits = FetchLimits.from_settings(s)
    handle, path = ctx.storage.temp_file()
    try:
        with handle:
            download(body.fetch_url, handle, limits)
        new = service.NewFile(path, name_from_url(body.fetch_url) or None)
        return _put(ctx, app_pk, course_id, version, body.destination, new, policy)
    except FetchError as exc:
        raise BadRequest(exc.message) from None
    finally:
        path.unlink(missing_ok=True)


def _download(
    request: Request, ctx: Context, session: Session, app_pk: int, course_id: str, version: int | None, rel: str | None
) -> Response:
    file = service.find_asset(session, app_pk, course_id, version, rel)
    sha, size, path = file.sha256, file.size, file.path
    name = posixpath.basename(path)
    media_type = "application/zip" if name.lower().endswith(".zip") else mimetypes.guess_type(name)[0]
    return stream_file(
        request, lambda: ctx.content.open(app_pk, sha), size=size, etag=sha,
        media_type=media_type or "application/octet-stream", filename=name,
    )  # fmt: skip


def _zip(ctx: Context, session: Session, app_pk: int, course_id: str, version: int | None) -> FileResponse:
    _course, found = service.target(session, app_pk, course_id, version)
    files = content_repo.list_files(session, found.pk)
    number = found.number
    # The zip is built from storage alone and may take long: end the (read-only) transaction first, so that no
    # connection is held meanwhile.
    session.commit()
    path: FsPath = build_zip(ctx.content, app_pk, files)
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", course_id).strip("._") or "course"
    return FileResponse(
        path, media_type="application/zip", headers={"Content-Disposition": disposition(f"{name}_v{number}.zip")},
        background=BackgroundTask(path.unlink, missing_ok=True),
    )  # fmt: skip


@router.post(
    f"{COURSE}/asset/upload",
    operation_id="uploadCourseAssetFile",
    response_model=AssetFileSchema,
    openapi_extra=UPLOAD_FORM,
)
async def upload_course_asset_file(
    request: Request, ctx: ContextDep, app: TransferAppDep, course_id: CourseId, policy: PolicyQuery = "lax"
) -> AssetFileSchema:
    return await _upload(request, ctx, app.pk, course_id, None, policy)


@router.post(
    f"{VERSION}/asset/upload",
    operation_id="uploadCourseVersionAssetFile",
    response_model=AssetFileSchema,
    openapi_extra=UPLOAD_FORM,
)
async def upload_course_version_asset_file(
    request: Request,
    ctx: ContextDep,
    app: TransferAppDep,
    course_id: CourseId,
    version_id: VersionId,
    policy: PolicyQuery = "lax",
) -> AssetFileSchema:
    return await _upload(request, ctx, app.pk, course_id, version_id, policy)


@router.post(f"{COURSE}/asset", operation_id="importCourseAssetFile", response_model=AssetFileSchema)
def import_course_asset_file(
    ctx: ContextDep,
    app: TransferAppDep,
    course_id: CourseId,
    body: ImportAssetRequestSchema,
    policy: PolicyQuery = "lax",
) -> AssetFileSchema:
    return _fetch(ctx, app.pk, course_id, None, body, policy)


@router.post(f"{VERSION}/asset", operation_id="importCourseVersionAssetFile", response_model=AssetFileSchema)
def import_course_version_asset_file(
    ctx: ContextDep, app: TransferAppDep, course_id: CourseId, version_id: VersionId, body: ImportAssetRequestSchema,
    policy: PolicyQuery = "lax",
) -> AssetFileSchema:  # fmt: skip
    return _fetch(ctx, app.pk, course_id, version_id, body, policy)


@router.get(f"{COURSE}/asset/list", operation_id="getCourseFileList", response_model=FileListSchema)
def get_course_file_list(session: SessionDep, app: AppDep, course_id: CourseId) -> FileListSchema:
    return service.list_files(session, app.pk, course_id, None)


@router.get(f"{VERSION}/asset/list", operation_id="getCourseVersionFileList", response_model=FileListSchema)
def get_course_version_file_list(
    session: SessionDep, app: AppDep, course_id: CourseId, version_id: VersionId
) -> FileListSchema:
    return service.list_files(session, app.pk, course_id, version_id)


@router.get(f"{COURSE}/asset", operation_id="getCourseAsset", response_class=Response, responses=FILE_RESPONSES)
def get_course_asset(
    request: Request, ctx: ContextDep, session: SessionDep, app: AppDep, course_id: CourseId, rel: RelativePath
) -> Response:
    return _download(request, ctx, session, app.pk, course_id, None, rel)


@router.get(f"{VERSION}/asset", operation_id="getCourseVersionAsset", response_class=Response, responses=FILE_RESPONSES)
def get_course_version_asset(
    request: Request, ctx: ContextDep, session: SessionDep, app: AppDep, course_id: CourseId, version_id: VersionId,
    rel: RelativePath,
) -> Response:  # fmt: skip
    return _download(request, ctx, session, app.pk, course_id, version_id, rel)


@router.delete(f"{COURSE}/asset", operation_id="deleteCourseAsset", status_code=204, response_class=Response)
def delete_course_asset(
    ctx: ContextDep, session: SessionDep, app: AppDep, course_id: CourseId, rel: RelativePath
) -> None:
    service.delete_asset(session, ctx, app.pk, course_id, None, rel)


@router.delete(f"{VERSION}/asset", operation_id="deleteCourseVersionAsset", status_code=204, response_class=Response)
def delete_course_version_asset(
    ctx: ContextDep, session: SessionDep, app: AppDep, course_id: CourseId, version_id: VersionId, rel: RelativePath
) -> None:
    service.delete_asset(session, ctx, app.pk, course_id, version_id, rel)


@router.get(f"{COURSE}/zip", operation_id="getCourseZip", response_class=FileResponse, responses=ZIP_RESPONSES)
def get_course_zip(ctx: ContextDep, session: SessionDep, app: AppDep, course_id: CourseId) -> FileResponse:
    return _zip(ctx, session, app.pk, course_id, None)


@router.get(
    f"{VERSION}/zip", operation_id="getVersionedCourseZip", response_class=FileResponse, responses=ZIP_RESPONSES
)
def get_versioned_course_zip(
    ctx: ContextDep, session: SessionDep, app: AppDep, course_id: CourseId, version_id: VersionId
) -> FileResponse:
    return _zip(ctx, session, app.pk, course_id, version_id)
