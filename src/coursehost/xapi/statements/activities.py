"""Canonical activity definitions (GET /activities): merged from every statement that defines an activity.

Language maps (name, description) are merged language by language, the newest text winning; every other property of
a definition is replaced by the newest statement that has it (xAPI 2.0.0 §4.1.6.4, 1.0.3 Communication 2.5).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from coursehost.xapi.statements import repository as repo

_LANGUAGE_MAPS = ("name", "description")


def _defined(statement: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    target = statement["object"]
    if target.get("objectType", "Activity") == "Activity":
        found.append(target)
    if target.get("objectType") == "SubStatement":
        found += _defined(target)
    for value in statement.get("context", {}).get("contextActivities", {}).values():
        found += value if isinstance(value, list) else [value]
    return [activity for activity in found if activity.get("definition")]


def merged(current: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    result = dict(current)
    for key, value in new.items():
        if key in _LANGUAGE_MAPS and isinstance(result.get(key), dict):
            result[key] = result[key] | value
        else:
            result[key] = value
    return result


def merge_definitions(session: Session, app_pk: int, statements: list[dict[str, Any]], now: datetime) -> None:
    updates: dict[str, dict[str, Any]] = {}
    for statement in statements:
        for activity in _defined(statement):
            updates[activity["id"]] = merged(updates.get(activity["id"], {}), activity["definition"])
    # A definition that would not change (a course's statements repeat theirs) is neither locked nor written, so
    # learners of one course do not queue on its activity rows.
    known = repo.activities(session, app_pk, sorted(updates))
    ids = [
        i for i in sorted(updates) if i not in known or merged(known[i].definition, updates[i]) != known[i].definition
    ]
    if not ids:
        return
    rows = repo.lock_activities(session, app_pk, ids)
    inserted = repo.insert_activities(session, app_pk, {i: updates[i] for i in ids if i not in rows}, now)
    raced = [i for i in ids if i not in rows and i not in inserted]
    if raced:  # defined by a concurrent writer between the two statements: merge into its row
        rows |= repo.lock_activities(session, app_pk, raced)
    for activity_id, row in rows.items():
        row.definition = merged(row.definition, updates[activity_id])
        row.updated = now
