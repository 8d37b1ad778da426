"""The configuration settings that shape the player, resolved through the settings cascade for one version.

A setting without a value (``""``: the catalog has no default, or a boolean left unset) means "the player's own
behaviour", which is given here. docs/player.md lists every setting read below.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from coursehost.configuration import repository as settings_repo
from coursehost.configuration.catalog import find
from coursehost.configuration.repository import APPLICATION
from coursehost.configuration.service import SOURCE, course_scope, resolve, version_scope, version_standard_scope
from coursehost.models import Course, CourseVersion

FLAGS = {
    # setting id: (key in the player's configuration, the player's own default)
    "PlayerShowNavBar": ("showNavBar", True),
    "PlayerEnableFlowNav": ("flowNav", True),
    "PlayerEnableChoiceNav": ("choiceNav", True),
    "PlayerCourseStructureStartsOpen": ("structureOpen", True),
    "PlayerShowFinishButton": ("showFinish", True),
    "PlayerShowTitleBar": ("showTitle", True),
    "PlayerPreventRightClick": ("preventRightClick", False),
    "PlayerAlwaysFlowToFirstSco": ("alwaysFlowToFirst", False),
}
NUMBERS = {
    "PlayerSuspendDataMaxLength": "suspendDataMaxLength",
    "PlayerCourseStructureWidth": "structureWidth",
    "PlayerDesiredWidth": "desiredWidth",
    "PlayerDesiredHeight": "desiredHeight",
    "MediaContentCompletionThreshold": "mediaThreshold",
}
TEXTS = {
    "PlayerLaunchType": ("launchType", "FRAMESET"),
    "PlayerScoLaunchType": ("scoLaunchType", "FRAMESET"),
    "PlayerInvalidMenuItemAction": ("invalidMenuItemAction", "DISABLE"),
    "RedirectOnExitUrl": ("redirectOnExitUrl", ""),
    "ModernPlayerCustomizationStylesheetUrl": ("stylesheetUrl", ""),
    "ModernPlayerCustomizationScriptUrl": ("scriptUrl", ""),
}
EXITS = ("Normal", "Suspend", "Timeout", "Logout")
# What a SCORM 1.2 or AICC SCO's own exit leads to when no setting says: onwards after a normal exit, out of the
# course after the last SCO or after any other kind of exit.
INTERMEDIATE_DEFAULT = {
    "Normal": "GO_TO_NEXT_SCO",
    "Suspend": "EXIT_COURSE",
    "Timeout": "EXIT_COURSE",
    "Logout": "EXIT_COURSE",
}
FINAL_DEFAULT = "EXIT_COURSE"


def exit_setting(position: str, satisfied: bool, exit: str) -> str:
    course = "Course" if position == "Final" else ""
    return f"Player{position}Sco{course}{'' if satisfied else 'Not'}Satisfied{exit}ExitAction"


def setting_ids() -> list[str]:
    exits = [exit_setting(p, s, e) for p in ("Intermediate", "Final") for s in (True, False) for e in EXITS]
    return [*FLAGS, "PlayerShowCourseStructure", *NUMBERS, *TEXTS, *exits]


def resolve_values(session: Session, app_pk: int, course: Course, version: CourseVersion) -> dict[str, str]:
    chain = [version_scope(version), course_scope(course.pk), version_standard_scope(version), APPLICATION]
    stored = settings_repo.values(session, app_pk, chain)
    layers = [(SOURCE[scope.level], stored[scope.key]) for scope in chain]
    values: dict[str, str] = {}
    for setting_id in setting_ids():
        setting = find(setting_id)
        if setting is not None:
            values[setting_id] = resolve(setting, layers)[0]
    return values


def _flag(value: str, default: bool) -> bool:
    return default if value not in ("true", "false") else value == "true"


def _exit_actions(values: dict[str, str]) -> dict[str, Any]:
    actions: dict[str, Any] = {}
    for position in ("Intermediate", "Final"):
        for satisfied in (True, False):
            chosen = actions.setdefault(position.lower(), {}).setdefault(
                "satisfied" if satisfied else "notSatisfied", {}
            )
            for exit in EXITS:
                default = INTERMEDIATE_DEFAULT[exit] if position == "Intermediate" else FINAL_DEFAULT
                chosen[exit.lower()] = values.get(exit_setting(position, satisfied, exit)) or default
    return actions


def behaviour(values: dict[str, str], *, multi: bool) -> dict[str, Any]:
    """The player's configuration, typed, from resolved setting values."""
    config: dict[str, Any] = {key: _flag(values.get(sid, ""), default) for sid, (key, default) in FLAGS.items()}
    # The outline of a single-SCO course would only repeat the title.
    config["showStructure"] = _flag(values.get("PlayerShowCourseStructure", ""), multi)
    for sid, key in NUMBERS.items():
        value = values.get(sid, "")
        config[key] = int(value) if value.lstrip("-").isdigit() else None
    for sid, (key, default) in TEXTS.items():
        config[key] = values.get(sid) or default
    config["exitActions"] = _exit_actions(values)
    return config
