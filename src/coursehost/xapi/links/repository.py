"""All SQL of statement↔version links and of the version activity ids they are found by."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from coursehost.models import Course, CourseVersion, XapiStatementLink, XapiVersionActivity

# Bound parameters per statement: SQLite allows 32,766; a statement may name many context activities.
IN_CHUNK = 500


def replace_version_activities(
    session: Session, version_pk: int, app_pk: int, course_pk: int, activity_ids: Iterable[str]
) -> None:
    session.execute(delete(XapiVersionActivity).where(XapiVersionActivity.version_pk == version_pk))
    rows = [
        {"version_pk": version_pk, "activity_id": activity_id, "app_pk": app_pk, "course_pk": course_pk}
        for activity_id in activity_ids
    ]
    if rows:
        session.execute(insert(XapiVersionActivity), rows)


def version_activities(session: Session, version_pk: int) -> set[str]:
    stmt = select(XapiVersionActivity.activity_id).where(XapiVersionActivity.version_pk == version_pk)
    return set(session.scalars(stmt))


def versions_by_activity(session: Session, app_pk: int, activity_ids: Sequence[str]) -> dict[str, set[tuple[int, int]]]:
    """(version_pk, course_pk) of the application's versions having each of the activities."""
    found: dict[str, set[tuple[int, int]]] = {}
    for start in range(0, len(activity_ids), IN_CHUNK):
        rows = session.execute(
            select(
                XapiVersionActivity.activity_id, XapiVersionActivity.version_pk, XapiVersionActivity.course_pk
            ).where(
                XapiVersionActivity.app_pk == app_pk,
                XapiVersionActivity.activity_id.in_(activity_ids[start : start + IN_CHUNK]),
            )
        )
        for activity_id, version_pk, course_pk in rows:
            found.setdefault(activity_id, set()).add((version_pk, course_pk))
    return found


def launch_version(session: Session, app_pk: int, version_pk: int) -> tuple[int, int] | None:
    """(version_pk, course_pk) of the application's version a launch plays, if it still exists."""
    row = session.execute(
        select(CourseVersion.pk, CourseVersion.course_pk)
        .join(Course, Course.pk == CourseVersion.course_pk)
        .where(CourseVersion.pk == version_pk, Course.app_pk == app_pk)
    ).first()
    return (row[0], row[1]) if row is not None else None


def insert_links(
    session: Session, stored: datetime, links: Iterable[tuple[int, str | None, Iterable[tuple[int, int]]]]
) -> None:
    """Insert the links of statements stored at ``stored``: (statement_pk, learner, its versions) each."""
    rows = [
        {"statement_pk": statement_pk, "version_pk": v, "course_pk": c, "stored": stored, "learner": learner}
        for statement_pk, learner, versions in links
        for v, c in sorted(versions)
    ]
    if rows:
        session.execute(insert(XapiStatementLink), rows)
