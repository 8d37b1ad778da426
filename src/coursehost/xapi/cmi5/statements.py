"""What the LMS writes for a cmi5 launch, as plain data (cmi5 §9, §10): the LMS-generated activity ids, the
``LMS.LaunchData`` state document, and the ``launched``, ``satisfied`` and ``abandoned`` statements.

The LMS generates the activity id an AU reports on (§8.1.5: unique per AU, never the publisher's id, the same on
every launch within a registration) and the ids of blocks and the course in ``satisfied`` statements (§9.3.9);
the publisher's ids go in the ``grouping`` context activities. Here they are UUID URNs derived from the course
version and the publisher's id, so they are stable for the version and differ from anything a package names.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

CATEGORY_CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
CATEGORY_MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
EXTENSION = "https://w3id.org/xapi/cmi5/context/extensions/"
EXT_SESSION = EXTENSION + "sessionid"
EXT_MASTERY = EXTENSION + "masteryscore"
EXT_LAUNCH_MODE = EXTENSION + "launchmode"
EXT_LAUNCH_URL = EXTENSION + "launchurl"
EXT_MOVE_ON = EXTENSION + "moveon"
EXT_LAUNCH_PARAMETERS = EXTENSION + "launchparameters"
TYPE_BLOCK = "https://w3id.org/xapi/cmi5/activitytype/block"
TYPE_COURSE = "https://w3id.org/xapi/cmi5/activitytype/course"
VERB_LAUNCHED = "http://adlnet.gov/expapi/verbs/launched"
VERB_INITIALIZED = "http://adlnet.gov/expapi/verbs/initialized"
VERB_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
VERB_PASSED = "http://adlnet.gov/expapi/verbs/passed"
VERB_FAILED = "http://adlnet.gov/expapi/verbs/failed"
VERB_TERMINATED = "http://adlnet.gov/expapi/verbs/terminated"
VERB_ABANDONED = "https://w3id.org/xapi/adl/verbs/abandoned"
VERB_WAIVED = "https://w3id.org/xapi/adl/verbs/waived"
VERB_SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"
LAUNCH_DATA_ID = "LMS.LaunchData"
_VERB_NAMES = {
    VERB_LAUNCHED: "launched",
    VERB_ABANDONED: "abandoned",
    VERB_SATISFIED: "satisfied",
    VERB_WAIVED: "waived",
}
EXT_REASON = "https://w3id.org/xapi/cmi5/result/extensions/reason"
# cmi5 §9.5.5.2: the reasons an LMS may waive an AU for.
WAIVE_REASONS = ("Tested Out", "Equivalent AU", "Equivalent Outside Activity", "Administrative")
# A fixed namespace: the generated ids of a version's AUs, blocks and course are the same on every launch.
_IDS = uuid.UUID("0c6b1f55-9a0e-5c1d-8f3e-6d1e2b7a4c90")


def generated_id(version_key: str, publisher_id: str) -> str:
    """The LMS's activity id for an AU, block or course (``version_key`` names the course version)."""
    return "urn:uuid:" + str(uuid.uuid5(_IDS, f"{version_key}\n{publisher_id}"))


@dataclass(frozen=True)
class AuLaunch:
    """One AU launch: what the launch data, the launched statement and the rules need."""

    actor: dict[str, Any]
    registration: str
    session_id: str  # the cmi5 session id
    activity_id: str  # the LMS-generated id the AU reports on
    publisher_id: str  # the AU's id in cmi5.xml
    move_on: str = "NotApplicable"
    mastery_score: float | None = None
    launch_parameters: str | None = None
    entitlement_key: str | None = None
    launch_mode: str = "Normal"


def context_template(launch: AuLaunch) -> dict[str, Any]:
    return {
        "contextActivities": {"grouping": [{"id": launch.publisher_id, "objectType": "Activity"}]},
        "extensions": {EXT_SESSION: launch.session_id},
    }


def launch_data(launch: AuLaunch, return_url: str | None) -> dict[str, Any]:
    """The ``LMS.LaunchData`` state document (cmi5 §10.2)."""
    document: dict[str, Any] = {
        "contextTemplate": context_template(launch),
        "launchMode": launch.launch_mode,
        "moveOn": launch.move_on,
    }
    if return_url:
        document["returnURL"] = return_url
    if launch.mastery_score is not None:
        document["masteryScore"] = launch.mastery_score
    if launch.launch_parameters is not None:
        document["launchParameters"] = launch.launch_parameters
    if launch.entitlement_key is not None:
        document["entitlementKey"] = {"courseStructure": launch.entitlement_key}
    return document


def _verb(verb_id: str) -> dict[str, Any]:
    return {"id": verb_id, "display": {"en-US": _VERB_NAMES[verb_id]}}


def _statement(
    actor: dict[str, Any], verb_id: str, obj: dict[str, Any], context: dict[str, Any], now: datetime
) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "actor": actor,
        "verb": _verb(verb_id),
        "object": obj,
        "context": context,
        "timestamp": now.isoformat().replace("+00:00", "Z"),
    }


def _au_context(launch: AuLaunch, extensions: dict[str, Any]) -> dict[str, Any]:
    template = context_template(launch)
    return {
        "registration": launch.registration,
        "contextActivities": {
            "category": [{"id": CATEGORY_CMI5, "objectType": "Activity"}],
            "grouping": template["contextActivities"]["grouping"],
        },
        "extensions": {**template["extensions"], **extensions},
    }


def launched(launch: AuLaunch, launch_url: str, now: datetime) -> dict[str, Any]:
    """§9.3.1, §9.6.3: with the launch mode, the launch URL without the cmi5 parameters, moveOn, and the mastery
    score and launch parameters when the course structure gives them."""
    extensions: dict[str, Any] = {EXT_LAUNCH_MODE: launch.launch_mode, EXT_LAUNCH_URL: launch_url}
    extensions[EXT_MOVE_ON] = launch.move_on
    if launch.mastery_score is not None:
        extensions[EXT_MASTERY] = launch.mastery_score
    if launch.launch_parameters is not None:
        extensions[EXT_LAUNCH_PARAMETERS] = launch.launch_parameters
    obj = {"id": launch.activity_id, "objectType": "Activity"}
    return _statement(launch.actor, VERB_LAUNCHED, obj, _au_context(launch, extensions), now)


def abandoned(launch: AuLaunch, duration: str, now: datetime) -> dict[str, Any]:
    """§9.3.6: a session that stopped without ``terminated``; ``duration`` is from launched to the AU's last
    statement (§9.5.4.2)."""
    obj = {"id": launch.activity_id, "objectType": "Activity"}
    statement = _statement(launch.actor, VERB_ABANDONED, obj, _au_context(launch, {}), now)
    statement["result"] = {"duration": duration}
    return statement


def waived(launch: AuLaunch, reason: str, now: datetime) -> dict[str, Any]:
    """§9.3.7: the LMS waives the AU in ``launch.registration``; ``launch.session_id`` is a session id of the
    waiver's own (9.3.7.0-3). A waived AU counts as passed and completed (success and completion true, the moveOn
    category), with the reason in the result (9.5.5.2)."""
    obj = {"id": launch.activity_id, "objectType": "Activity"}
    context = _au_context(launch, {})
    context["contextActivities"]["category"].append({"id": CATEGORY_MOVEON, "objectType": "Activity"})
    statement = _statement(launch.actor, VERB_WAIVED, obj, context, now)
    statement["result"] = {"success": True, "completion": True, "extensions": {EXT_REASON: reason}}
    return statement


def satisfied(launch: AuLaunch, generated: str, publisher_id: str, course: bool, now: datetime) -> dict[str, Any]:
    """§9.3.9: a block (or the course) whose AUs all met their moveOn, in the session that made it so."""
    obj = {
        "id": generated,
        "objectType": "Activity",
        "definition": {"type": TYPE_COURSE if course else TYPE_BLOCK},
    }
    context = {
        "registration": launch.registration,
        "contextActivities": {
            "category": [{"id": CATEGORY_CMI5, "objectType": "Activity"}],
            "grouping": [{"id": publisher_id, "objectType": "Activity"}],
        },
        "extensions": {EXT_SESSION: launch.session_id},
    }
    return _statement(launch.actor, VERB_SATISFIED, obj, context, now)


def iso_duration(seconds: float) -> str:
    """An ISO 8601 duration with centisecond precision (xAPI's)."""
    centis = max(0, round(seconds * 100))
    hours, rest = divmod(centis, 360000)
    minutes, rest = divmod(rest, 6000)
    secs = rest / 100
    text = f"{secs:.2f}".rstrip("0").rstrip(".")
    return f"PT{hours}H{minutes}M{text}S"
