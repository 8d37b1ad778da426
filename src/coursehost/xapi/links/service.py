"""Stamping statements with the course versions they belong to, and keeping each version's activity ids.

A statement belongs to a version when a launch of that version produced it, or when its object or one of its
context activities (parent, grouping, category, other) is one of the version's activities
(``courses.activity_ids.version_activity_ids``), whoever posted it. The links are written once, when the statement
is stored, so the course statement reads are one indexed query each; a version imported later is not linked to
statements stored before it existed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from coursehost.courses.activity_ids import version_activity_ids
from coursehost.kit.schemas import as_utc
from coursehost.models import CourseVersion
from coursehost.models.xapi_links import LEARNER_MAX
from coursehost.xapi.links import repository as repo

CONTEXT_ACTIVITY_KINDS = ("parent", "grouping", "category", "other")
# The activity_id columns' size: PostgreSQL's btree keeps an indexed row under 2,704 bytes. A longer id cannot be
# stored, so it can name no version's activity (a launch still links the statement).
ACTIVITY_ID_MAX_BYTES = 2048
_MAILTO = "mailto:"


def link_statement(
    session: Session,
    *,
    app_pk: int,
    statement_pk: int,
    stored: datetime,
    statement: Mapping[str, Any],
    launch_version_pk: int | None = None,
) -> None:
    """Link a statement row just inserted (``statement_pk``, its ``stored``) to the course versions it belongs to:
    the application's versions having its object or a context activity among their activities, and the version
    whose launch posted it (``launch_version_pk``, from the launch's player session). ``statement`` is the
    statement as stored (a dict parsed from the row's body). One query finds the versions, one inserts the links."""
    ids = sorted(statement_activity_ids(statement))
    versions = repo.matching_versions(session, app_pk, ids, launch_version_pk)
    actor = statement.get("actor")
    learner = learner_key(actor) if isinstance(actor, Mapping) else None
    repo.insert_links(session, statement_pk, as_utc(stored), learner, versions)


def statement_activity_ids(statement: Mapping[str, Any]) -> set[str]:
    """The statement's object (when it is an activity) and its context activities; not those of a sub-statement."""
    found: list[Any] = []
    target = statement.get("object")
    if isinstance(target, Mapping) and target.get("objectType", "Activity") == "Activity":
        found.append(target.get("id"))
    context = statement.get("context")
    activities = context.get("contextActivities") if isinstance(context, Mapping) else None
    if isinstance(activities, Mapping):
        for kind in CONTEXT_ACTIVITY_KINDS:
            value = activities.get(kind)
            # xAPI 1.0 allows a single activity where a list is usual.
            for activity in [value] if isinstance(value, Mapping) else value if isinstance(value, list) else ():
                if isinstance(activity, Mapping):
                    found.append(activity.get("id"))
    return {i for i in found if isinstance(i, str) and fits(i)}


def fits(activity_id: str) -> bool:
    return 0 < len(activity_id.encode("utf-8", "surrogatepass")) <= ACTIVITY_ID_MAX_BYTES


def learner_key(agent: Mapping[str, Any]) -> str | None:
    """What a ``learnerId`` matches an actor by: its account's name (whatever the homePage: SCORM Cloud's learner
    id is what a launch puts there), else its mbox without ``mailto:``; None for other actors."""
    account = agent.get("account")
    if isinstance(account, Mapping) and isinstance(account.get("name"), str):
        return learner_id_key(account["name"])
    mbox = agent.get("mbox")
    if isinstance(mbox, str):
        return learner_id_key(mbox)
    return None


def learner_id_key(learner_id: str) -> str:
    """A ``learnerId`` (or an actor's name for it) as the links store it: ``mailto:x`` and ``x`` are the same."""
    if learner_id[: len(_MAILTO)].lower() == _MAILTO:
        learner_id = learner_id[len(_MAILTO) :]
    return _bounded(learner_id)


def _bounded(key: str) -> str:
    if len(key) > LEARNER_MAX:
        return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return key


def refresh_version_activities(session: Session, app_pk: int, version: CourseVersion) -> None:
    """Store the version's activity ids (after an import publishes it, or an asset change re-describes it). The
    version must have its pk (flushed); its rows go with it (foreign key cascade)."""
    ids = version_activity_ids(version.learning_standard, version.xapi_activity_id, version.root_activity)
    repo.replace_version_activities(session, version.pk, app_pk, version.course_pk, sorted(filter(fits, ids)))
