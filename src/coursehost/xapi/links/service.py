"""Stamping statements with the course versions they belong to, and keeping each version's activity ids.

A statement belongs to a version when a launch of that version produced it, or when its object or one of its
context activities (parent, grouping, category, other) is one of the version's activities
(``courses.activity_ids.version_activity_ids``), whoever posted it. The links are written once, when the statement
is stored, so the course statement reads are one indexed query each; a version imported later is not linked to
statements stored before it existed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
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


def link_statements(
    session: Session,
    *,
    app_pk: int,
    stored: datetime,
    statements: Sequence[tuple[int, Mapping[str, Any]]],
    launch_version_pk: int | None = None,
) -> None:
    """Link statement rows just inserted together (their pk and the statement as stored, a dict parsed from the
    row's body; ``stored`` is theirs) to the course versions each belongs to: the application's versions having its
    object or a context activity among their activities, and the version whose launch posted them
    (``launch_version_pk``, from the launch's player session). One query finds the versions of every activity the
    statements name, one inserts every link."""
    activity_ids = [statement_activity_ids(statement) for _, statement in statements]
    wanted = sorted(set().union(*activity_ids))
    by_activity = repo.versions_by_activity(session, app_pk, wanted)
    launched = repo.launch_version(session, app_pk, launch_version_pk) if launch_version_pk is not None else None
    links: list[tuple[int, str | None, set[tuple[int, int]]]] = []
    for (pk, statement), ids in zip(statements, activity_ids, strict=True):
        versions = set().union(*(by_activity.get(i, ()) for i in ids))
        if launched is not None:
            versions.add(launched)
        actor = statement.get("actor")
        links.append((pk, learner_key(actor) if isinstance(actor, Mapping) else None, versions))
    repo.insert_links(session, as_utc(stored), links)


def link_statement(
    session: Session,
    *,
    app_pk: int,
    statement_pk: int,
    stored: datetime,
    statement: Mapping[str, Any],
    launch_version_pk: int | None = None,
) -> None:
    """:func:`link_statements` for one statement."""
    link_statements(
        session, app_pk=app_pk, stored=stored, statements=[(statement_pk, statement)],
        launch_version_pk=launch_version_pk,
    )  # fmt: skip


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
