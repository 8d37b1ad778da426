"""getCourseStatements and getCourseVersionStatements (reference §9): thin handlers over the service."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

import coursehost.kit.paths  # noqa: F401  (registers the "segment" path convertor)
from coursehost.auth.dependencies import AppDep
from coursehost.context import ContextDep, SessionDep
from coursehost.kit.params import VersionId
from coursehost.kit.routing import checked_router
from coursehost.kit.schemas import UtcInput
from coursehost.xapi.course_statements import service
from coursehost.xapi.course_statements.schemas import XapiStatementResult

router = checked_router(tags=["course"])

CourseId = Annotated[str, Path(alias="courseId")]
LearnerId = Annotated[str | None, Query(alias="learnerId")]
Since = Annotated[UtcInput | None, Query()]
Until = Annotated[UtcInput | None, Query()]
More = Annotated[str | None, Query()]


@router.get(
    "/courses/{courseId:segment}/xAPIStatements",
    operation_id="getCourseStatements",
    response_model=XapiStatementResult,
    response_model_exclude_none=True,
)
def get_course_statements(
    ctx: ContextDep,
    session: SessionDep,
    app: AppDep,
    course_id: CourseId,
    learner_id: LearnerId = None,
    since: Since = None,
    until: Until = None,
    more: More = None,
) -> XapiStatementResult:
    settings = ctx.settings
    return service.list_statements(
        session,
        app.pk,
        settings.resolved_secret_key,
        settings.page_size,
        course_id,
        None,
        learner_id=learner_id,
        since=since,
        until=until,
        more=more,
    )


@router.get(
    "/courses/{courseId:segment}/versions/{versionId}/xAPIStatements",
    operation_id="getCourseVersionStatements",
    response_model=XapiStatementResult,
    response_model_exclude_none=True,
)
def get_course_version_statements(
    ctx: ContextDep,
    session: SessionDep,
    app: AppDep,
    course_id: CourseId,
    version_id: VersionId,
    learner_id: LearnerId = None,
    since: Since = None,
    until: Until = None,
    more: More = None,
) -> XapiStatementResult:
    settings = ctx.settings
    return service.list_statements(
        session,
        app.pk,
        settings.resolved_secret_key,
        settings.page_size,
        course_id,
        version_id,
        learner_id=learner_id,
        since=since,
        until=until,
        more=more,
    )
