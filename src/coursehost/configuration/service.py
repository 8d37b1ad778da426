"""Configuration settings: which levels a read walks, how a value is chosen, and validated writes at each level.

A read walks from the level asked about up to the application: version → course → learningStandardForApplication
→ application, then the catalog default. The first level holding a value wins and names the effective source.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy.orm import Session

from coursehost.configuration import repository as repo
from coursehost.configuration.catalog import LEARNING_STANDARDS, SETTINGS, Level, Setting, find
from coursehost.configuration.repository import APPLICATION, Scope, ScopeLevel
from coursehost.configuration.schemas import (
    EffectiveValueSource,
    SettingItem,
    SettingListSchema,
    SettingMetadata,
    SettingsIndividualSchema,
    SettingValidValue,
)
from coursehost.configuration.validation import InvalidValue, normalise
from coursehost.courses import repository as courses_repo
from coursehost.courses.service import course_not_found, get_version, get_visible_course
from coursehost.kit.errors import BadRequest
from coursehost.models import CourseVersion, utcnow

CATALOG_LEVEL: dict[ScopeLevel, Level] = {
    "application": "application",
    "learning_standard": "learningStandardForApplication",
    "course": "course",
    "version": "course",
}
# SCORM Cloud's source enum has no "version": a version's own value reports "course", the level it refines.
SOURCE: dict[ScopeLevel, EffectiveValueSource] = {
    "application": "application",
    "learning_standard": "learningStandardForApplication",
    "course": "course",
    "version": "course",
}
Layer = tuple[EffectiveValueSource, Mapping[str, str]]


# --------------------------------------------------------------------------------------------------------- scopes


def standard_scope(learning_standard: str | None, single_sco: bool | None) -> Scope:
    """The application-level scope the appManagement query parameters address."""
    if learning_standard is None:
        if single_sco is not None:
            raise BadRequest("singleSco may only be given together with learningStandard")
        return APPLICATION
    if single_sco is None:
        raise BadRequest("singleSco is required when learningStandard is given")
    standard = re.sub(r"[\s_-]", "", learning_standard).upper()
    if standard not in LEARNING_STANDARDS:
        raise BadRequest(
            f"Unknown learningStandard '{learning_standard}'; expected one of {', '.join(LEARNING_STANDARDS)}"
        )
    return Scope("learning_standard", learning_standard=standard, single_sco=single_sco)


def launchable_count(activity: Mapping[str, Any]) -> int:
    own = 1 if activity.get("activityType") in ("SCO", "ASSET") else 0
    return own + sum(launchable_count(child) for child in activity.get("children") or [])


def version_standard_scope(version: CourseVersion) -> Scope:
    """The learningStandardForApplication values that apply to a version: its standard, single- or multi-SCO."""
    single = launchable_count(version.root_activity) == 1
    return Scope("learning_standard", learning_standard=version.learning_standard, single_sco=single)


def course_scope(course_pk: int) -> Scope:
    return Scope("course", course_pk=course_pk)


def version_scope(version: CourseVersion) -> Scope:
    return Scope("version", course_pk=version.course_pk, version_pk=version.pk)


# --------------------------------------------------------------------------------------------------------- reads


def resolve(setting: Setting, layers: Sequence[Layer]) -> tuple[str, EffectiveValueSource]:
    for source, values in layers:
        if setting.id in values:
            return values[setting.id], source
    return setting.default or "", "default"


@cache
def describe(setting: Setting) -> SettingMetadata:
    return SettingMetadata(
        default=setting.default or None,
        data_type=setting.data_type,
        setting_description=setting.description,
        level=setting.metadata_level,
        learning_standards=list(setting.learning_standards) or None,
        fallback=setting.fallback,
        valid_values=[SettingValidValue(value=v.value, value_description=v.description) for v in setting.valid_values]
        or None,
    )


def read(session: Session, app_pk: int, chain: Sequence[Scope], *, metadata: bool) -> SettingListSchema:
    """Every setting settable at ``chain[0]``'s level, resolved along ``chain`` (most specific first)."""
    stored = repo.values(session, app_pk, chain)
    layers = [(SOURCE[scope.level], stored[scope.key]) for scope in chain]
    own = stored[chain[0].key]
    level = CATALOG_LEVEL[chain[0].level]
    items = []
    for setting in SETTINGS:
        if level not in setting.levels:
            continue
        value, source = resolve(setting, layers)
        items.append(
            SettingItem(
                id=setting.id,
                effective_value=value,
                effective_value_source=source,
                explicit_value=own.get(setting.id),
                metadata=describe(setting) if metadata else None,
            )
        )
    return SettingListSchema(setting_items=items)


# -------------------------------------------------------------------------------------------------------- writes


def _settable(setting_id: str, level: Level) -> Setting:
    setting = find(setting_id)
    if setting is None:
        raise BadRequest(f"No configuration setting found with id '{setting_id}'")
    if level not in setting.levels:
        raise BadRequest(
            f"Configuration setting '{setting.id}' cannot be set at {level} level; "
            f"it can be set at: {', '.join(setting.levels)}"
        )
    return setting


def as_text(value: bool | int | float | str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write(session: Session, app_pk: int, scope: Scope, settings: Sequence[SettingsIndividualSchema]) -> None:
    """Validate every value before storing any, so a refused request changes nothing."""
    level = CATALOG_LEVEL[scope.level]
    values: dict[str, str] = {}
    for item in settings:
        setting = _settable(item.setting_id, level)
        text = as_text(item.value)
        try:
            values[setting.id] = normalise(setting, text)
        except InvalidValue as exc:
            shown = text if len(text) <= 100 else text[:100] + "…"
            raise BadRequest(
                f"Invalid value '{shown}' for configuration setting '{setting.id}': {exc.reason}. "
                "No setting from this request was stored."
            ) from exc
    repo.store(session, app_pk, scope, values, utcnow())


def remove(session: Session, app_pk: int, scope: Scope, setting_id: str) -> None:
    """Removes only this level's value; deleting a value that was never set here is not an error."""
    setting = _settable(setting_id, CATALOG_LEVEL[scope.level])
    repo.remove(session, app_pk, scope, setting.id)


# ------------------------------------------------------------------------------------ the levels endpoints address


def application_chain(learning_standard: str | None, single_sco: bool | None) -> list[Scope]:
    scope = standard_scope(learning_standard, single_sco)
    return [scope] if scope == APPLICATION else [scope, APPLICATION]


def course_chain(session: Session, app_pk: int, course_id: str) -> list[Scope]:
    """A course's values apply to all its versions; the learning standard that applies is the latest version's."""
    course = get_visible_course(session, app_pk, course_id)
    latest = courses_repo.get_version(session, course.pk, course.latest_version or 0)
    if latest is None:  # pragma: no cover - latest_version always names a row
        raise course_not_found(course_id)
    return [course_scope(course.pk), version_standard_scope(latest), APPLICATION]


def version_chain(session: Session, app_pk: int, course_id: str, number: int) -> list[Scope]:
    course, version = get_version(session, app_pk, course_id, number)
    return [version_scope(version), course_scope(course.pk), version_standard_scope(version), APPLICATION]


def course_target(session: Session, app_pk: int, course_id: str) -> Scope:
    return course_scope(get_visible_course(session, app_pk, course_id).pk)


def version_target(session: Session, app_pk: int, course_id: str, number: int) -> Scope:
    return version_scope(get_version(session, app_pk, course_id, number)[1])
