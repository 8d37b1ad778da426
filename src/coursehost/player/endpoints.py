"""buildCoursePreviewLaunchLink and buildCoursePreviewLaunchLinkWithVersion, and the one router app.py includes
(the API operations under /api/v2, the player's own pages under /player)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, Path, Query

import coursehost.kit.paths  # noqa: F401  (registers the "segment" path convertor)
from coursehost.auth.dependencies import AppDep
from coursehost.context import ContextDep, SessionDep
from coursehost.kit.params import VersionId
from coursehost.kit.routing import checked_router
from coursehost.player import service
from coursehost.player.pages import router as pages_router
from coursehost.player.schemas import LaunchLinkSchema, PreviewLaunchLinkRequestSchema

api_router = checked_router(tags=["course"])

CourseId = Annotated[str, Path(alias="courseId")]
# The official clients always send a body, and the OpenAPI document requires one as SCORM Cloud's does; the server
# still reads an absent one as every default (docs/decisions.md).
PreviewBody = Annotated[PreviewLaunchLinkRequestSchema, Body(default_factory=PreviewLaunchLinkRequestSchema)]
BODY_REQUIRED: dict[str, Any] = {"requestBody": {"required": True}}
# Older SCORM Cloud documentation lists cssUrl as a query parameter; the body's value wins.
CssQuery = Annotated[str | None, Query(alias="cssUrl")]


@api_router.post(
    "/courses/{courseId:segment}/preview",
    operation_id="buildCoursePreviewLaunchLink",
    response_model=LaunchLinkSchema,
    response_model_exclude_none=True,
    openapi_extra=BODY_REQUIRED,
)
def build_course_preview_launch_link(
    ctx: ContextDep, session: SessionDep, app: AppDep, course_id: CourseId, body: PreviewBody, css_url: CssQuery = None
) -> LaunchLinkSchema:
    return service.build_link(
        session,
        ctx.settings.resolved_secret_key,
        ctx.settings.resolved_content_url,
        app.pk,
        course_id,
        None,
        body,
        css_url,
    )


@api_router.post(
    "/courses/{courseId:segment}/versions/{versionId}/preview",
    operation_id="buildCoursePreviewLaunchLinkWithVersion",
    response_model=LaunchLinkSchema,
    response_model_exclude_none=True,
    openapi_extra=BODY_REQUIRED,
)
def build_course_preview_launch_link_with_version(
    ctx: ContextDep,
    session: SessionDep,
    app: AppDep,
    course_id: CourseId,
    version_id: VersionId,
    body: PreviewBody,
    css_url: CssQuery = None,
) -> LaunchLinkSchema:
    return service.build_link(
        session,
        ctx.settings.resolved_secret_key,
        ctx.settings.resolved_content_url,
        app.pk,
        course_id,
        version_id,
        body,
        css_url,
    )


router = checked_router()
router.include_router(api_router, prefix="/api/v2")
router.include_router(pages_router)
