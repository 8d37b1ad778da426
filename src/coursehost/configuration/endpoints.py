"""Configuration at application, learning-standard, course and course-version level. Handlers parse the wire and
call the service in the request's session."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query, Response

import coursehost.kit.paths  # noqa: F401  (registers the "segment" path convertor)
from coursehost.auth.dependencies import AppDep
from coursehost.configuration import service
from coursehost.configuration.schemas import SettingListSchema, SettingsPostSchema
from coursehost.context import SessionDep
from coursehost.kit.params import VersionId
from coursehost.kit.routing import checked_router

router = checked_router()

CourseId = Annotated[str, Path(alias="courseId")]
SettingId = Annotated[str, Path(alias="settingId")]
IncludeMetadata = Annotated[bool, Query(alias="includeMetadata")]
LearningStandard = Annotated[str | None, Query(alias="learningStandard")]
SingleSco = Annotated[bool | None, Query(alias="singleSco")]

COURSE = "/courses/{courseId:segment}/configuration"
VERSION = "/courses/{courseId:segment}/versions/{versionId}/configuration"
APPLICATION = "/appManagement/configuration"
LIST: dict[str, Any] = {"response_model": SettingListSchema, "response_model_exclude_none": True}
EMPTY: dict[str, Any] = {"status_code": 204, "response_class": Response}


@router.get(APPLICATION, operation_id="getApplicationConfiguration", tags=["applicationManagement"], **LIST)
def get_application_configuration(
    session: SessionDep,
    app: AppDep,
    learning_standard: LearningStandard = None,
    single_sco: SingleSco = None,
    include_metadata: IncludeMetadata = False,
) -> SettingListSchema:
    chain = service.application_chain(learning_standard, single_sco)
    return service.read(session, app.pk, chain, metadata=include_metadata)


@router.post(APPLICATION, operation_id="setApplicationConfiguration", tags=["applicationManagement"], **EMPTY)
def set_application_configuration(
    session: SessionDep,
    app: AppDep,
    body: SettingsPostSchema,
    learning_standard: LearningStandard = None,
    single_sco: SingleSco = None,
) -> None:
    scope = service.standard_scope(learning_standard, single_sco)
    service.write(session, app.pk, scope, body.settings)


@router.delete(
    APPLICATION + "/{settingId}",
    operation_id="deleteApplicationConfigurationSetting",
    tags=["applicationManagement"],
    **EMPTY,
)
def delete_application_configuration_setting(
    session: SessionDep,
    app: AppDep,
    setting_id: SettingId,
    learning_standard: LearningStandard = None,
    single_sco: SingleSco = None,
) -> None:
    scope = service.standard_scope(learning_standard, single_sco)
    service.remove(session, app.pk, scope, setting_id)


@router.get(COURSE, operation_id="getCourseConfiguration", tags=["course"], **LIST)
def get_course_configuration(
    session: SessionDep, app: AppDep, course_id: CourseId, include_metadata: IncludeMetadata = False
) -> SettingListSchema:
    chain = service.course_chain(session, app.pk, course_id)
    return service.read(session, app.pk, chain, metadata=include_metadata)


@router.post(COURSE, operation_id="setCourseConfiguration", tags=["course"], **EMPTY)
def set_course_configuration(session: SessionDep, app: AppDep, course_id: CourseId, body: SettingsPostSchema) -> None:
    service.write(session, app.pk, service.course_target(session, app.pk, course_id), body.settings)


@router.delete(COURSE + "/{settingId}", operation_id="deleteCourseConfigurationSetting", tags=["course"], **EMPTY)
def delete_course_configuration_setting(
    session: SessionDep, app: AppDep, course_id: CourseId, setting_id: SettingId
) -> None:
    service.remove(session, app.pk, service.course_target(session, app.pk, course_id), setting_id)


@router.get(VERSION, operation_id="getCourseVersionConfiguration", tags=["course"], **LIST)
def get_course_version_configuration(
    session: SessionDep,
    app: AppDep,
    course_id: CourseId,
    version_id: VersionId,
    include_metadata: IncludeMetadata = False,
) -> SettingListSchema:
    chain = service.version_chain(session, app.pk, course_id, version_id)
    return service.read(session, app.pk, chain, metadata=include_metadata)


@router.post(VERSION, operation_id="setCourseVersionConfiguration", tags=["course"], **EMPTY)
def set_course_version_configuration(
    session: SessionDep, app: AppDep, course_id: CourseId, version_id: VersionId, body: SettingsPostSchema
) -> None:
    scope = service.version_target(session, app.pk, course_id, version_id)
    service.write(session, app.pk, scope, body.settings)


@router.delete(
    VERSION + "/{settingId}", operation_id="deleteCourseVersionConfigurationSetting", tags=["course"], **EMPTY
)
def delete_course_version_configuration_setting(
    session: SessionDep, app: AppDep, course_id: CourseId, version_id: VersionId, setting_id: SettingId
) -> None:
    scope = service.version_target(session, app.pk, course_id, version_id)
    service.remove(session, app.pk, scope, setting_id)
