"""Course read/write operations. Handlers parse the wire and call the service in the request's session."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Body, Path, Query, Request, Response

import coursehost.kit.paths  # noqa: F401  (registers the "segment" path convertor)
from coursehost.auth.dependencies import AppDep, AppIdentity, SessionlessAppDep, current_app_alone
from coursehost.context import ContextDep, SessionDep, context_of, run_read
from coursehost.courses import service
from coursehost.courses.repository import CourseQuery
from coursehost.courses.schemas import (
    BatchTagsSchema,
    CourseListNonPagedSchema,
    CourseListSchema,
    CourseSchema,
    TagListSchema,
    TitleSchema,
)
from coursehost.kit.params import VersionId
from coursehost.kit.query import CsvList, csv_values
from coursehost.kit.routing import DirectRoute, checked_router
from coursehost.kit.schemas import UtcInput, as_utc

router = checked_router(tags=["course"])

CourseId = Annotated[str, Path(alias="courseId")]
IncludeMetadata = Annotated[bool, Query(alias="includeCourseMetadata")]
IncludeRegistrations = Annotated[bool, Query(alias="includeRegistrationCount")]
Since = Annotated[UtcInput | None, Query()]
Until = Annotated[UtcInput | None, Query()]


def _utc(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


def _json_answer(body: bytes) -> Response:
    # Built once by the service (the model validated and serialised in one pass): FastAPI sends a Response as it is,
    # so the response model below only documents it.
    return Response(body, media_type="application/json")


@router.get("/courses", operation_id="getCourses", response_model=CourseListSchema, response_model_exclude_none=True)
async def get_courses(
    request: Request,
    app: SessionlessAppDep,
    since: Since = None,
    until: Until = None,
    datetime_filter: Annotated[Literal["created", "updated"], Query(alias="datetimeFilter")] = "updated",
    tags: CsvList = None,
    filter: Annotated[str | None, Query()] = None,
    # Only course_id and title are documented; course_title and tags appear in other clients, so they work too.
    filter_by: Annotated[Literal["course_id", "title", "course_title", "tags"], Query(alias="filterBy")] = "course_id",
    order_by: Annotated[
        Literal["created_asc", "created_desc", "updated_asc", "updated_desc", "title_asc", "title_desc"],
        Query(alias="orderBy"),
    ] = "created_desc",
    more: Annotated[str | None, Query()] = None,
    include_metadata: IncludeMetadata = False,
    include_registrations: IncludeRegistrations = False,
    include_total: Annotated[bool, Query(alias="includeTotalCount")] = False,
) -> Response:
    ctx = context_of(request)
    query = CourseQuery(
        since=_utc(since),
        until=_utc(until),
        datetime_filter=datetime_filter,
        tags=tuple(csv_values(tags)),
        filter=filter or None,
        filter_by=filter_by,
        order_by=order_by,
    )
    body, total = await run_read(
        lambda: service.list_courses_json(
            ctx.db,
            app.pk,
            ctx.settings.resolved_secret_key,
            ctx.settings.page_size,
            query,
            metadata=include_metadata,
            registrations=include_registrations,
            more=more or None,
            include_total=include_total,
        ),
    )
    answer = _json_answer(body)
    if total is not None:
        answer.headers["X-Total-Count"] = str(total)
    return answer


@router.put("/courses/tags", operation_id="putCourseTagsBatch", status_code=204, response_class=Response)
def put_course_tags_batch(session: SessionDep, app: AppDep, body: BatchTagsSchema) -> None:
    service.add_tags_batch(session, app.pk, body.ids, body.tags)


@router.get(
    "/courses/{courseId:segment}",
    operation_id="getCourse",
    response_model=CourseSchema,
    response_model_exclude_none=True,
)
async def get_course(
    request: Request,
    app: SessionlessAppDep,
    course_id: CourseId,
    include_registrations: IncludeRegistrations = False,
    include_metadata: IncludeMetadata = False,
) -> Response:
    # Most requests are answered by the direct route below; this one documents the operation and answers the rest.
    return await _get_course(request, app, course_id, include_registrations, include_metadata)


async def _get_course(
    request: Request, app: AppIdentity, course_id: str, registrations: bool, metadata: bool
) -> Response:
    # On the event loop, no thread hop (docs/decisions.md): one indexed read, awaited on PostgreSQL.
    db = context_of(request).db
    body = await service.get_course_json(db, app.pk, course_id, metadata=metadata, registrations=registrations)
    return _json_answer(body)


async def _get_course_direct(request: Request, path: Mapping[str, Any], flags: Mapping[str, bool]) -> Response:
    app = await current_app_alone(request)
    registrations = flags.get("includeRegistrationCount", False)
    return await _get_course(request, app, path["courseId"], registrations, flags.get("includeCourseMetadata", False))


# getCourse without FastAPI's per-request work (kit/routing.py DirectRoute); app.py puts these in front.
direct_routes = [
    DirectRoute(
        "/courses/{courseId:segment}",
        _get_course_direct,
        frozenset({"includeRegistrationCount", "includeCourseMetadata"}),
    )
]


@router.delete("/courses/{courseId:segment}", operation_id="deleteCourse", status_code=204, response_class=Response)
def delete_course(ctx: ContextDep, session: SessionDep, app: AppDep, course_id: CourseId) -> None:
    service.delete_course(session, ctx.content, app.pk, course_id)


@router.get(
    "/courses/{courseId:segment}/versions",
    operation_id="getCourseVersions",
    response_model=CourseListNonPagedSchema,
    response_model_exclude_none=True,
)
def get_course_versions(
    session: SessionDep,
    app: AppDep,
    course_id: CourseId,
    since: Since = None,
    until: Until = None,
    include_registrations: IncludeRegistrations = False,
    include_metadata: IncludeMetadata = False,
) -> CourseListNonPagedSchema:
    courses = service.list_versions(
        session,
        app.pk,
        course_id,
        _utc(since),
        _utc(until),
        metadata=include_metadata,
        registrations=include_registrations,
    )
    return CourseListNonPagedSchema(courses=courses)


@router.get(
    "/courses/{courseId:segment}/versions/{versionId}",
    operation_id="getCourseVersionInfo",
    response_model=CourseSchema,
    response_model_exclude_none=True,
)
def get_course_version_info(
    session: SessionDep,
    app: AppDep,
    course_id: CourseId,
    version_id: VersionId,
    include_registrations: IncludeRegistrations = False,
    include_metadata: IncludeMetadata = False,
) -> CourseSchema:
    course, version = service.get_version(session, app.pk, course_id, version_id)
    return service.to_schema(course, version, metadata=include_metadata, registrations=include_registrations)


@router.delete(
    "/courses/{courseId:segment}/versions/{versionId}",
    operation_id="deleteCourseVersion",
    status_code=204,
    response_class=Response,
)
def delete_course_version(
    ctx: ContextDep, session: SessionDep, app: AppDep, course_id: CourseId, version_id: VersionId
) -> None:
    service.delete_version(session, ctx.content, app.pk, course_id, version_id)


@router.get(
    "/courses/{courseId:segment}/tags",
    operation_id="getCourseTags",
    response_model=TagListSchema,
)
def get_course_tags(session: SessionDep, app: AppDep, course_id: CourseId) -> TagListSchema:
    return TagListSchema(tags=service.get_tags(session, app.pk, course_id))


@router.put("/courses/{courseId:segment}/tags", operation_id="putCourseTags", status_code=204, response_class=Response)
def put_course_tags(session: SessionDep, app: AppDep, course_id: CourseId, body: TagListSchema) -> None:
    service.add_tags(session, app.pk, course_id, body.tags)


@router.delete(
    "/courses/{courseId:segment}/tags", operation_id="deleteCourseTags", status_code=204, response_class=Response
)
def delete_course_tags(
    session: SessionDep, app: AppDep, course_id: CourseId, body: Annotated[TagListSchema, Body()]
) -> None:
    service.remove_tags(session, app.pk, course_id, body.tags)


@router.put(
    "/courses/{courseId:segment}/title", operation_id="setCourseTitle", status_code=204, response_class=Response
)
def set_course_title(session: SessionDep, app: AppDep, course_id: CourseId, body: TitleSchema) -> None:
    service.set_title(session, app.pk, course_id, body.title)
