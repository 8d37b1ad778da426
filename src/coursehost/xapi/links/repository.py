"""All SQL of statement↔version links and of the version activity ids they are found by."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Select, delete, insert, select, union
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


def matching_versions(
    session: Session, app_pk: int, activity_ids: Sequence[str], launch_version_pk: int | None
) -> set[tuple[int, int]]:
    """(version_pk, course_pk) of the application's versions that have one of the activities, or whose launch it
    is, in one round trip."""
    selects: list[Select[int, int]] = [
        select(XapiVersionActivity.version_pk, XapiVersionActivity.course_pk).where(
            XapiVersionActivity.app_pk == app_pk,
            XapiVersionActivity.activity_id.in_(activity_ids[start : start + IN_CHUNK]),
        )
        for start in range(0, len(activity_ids), IN_CHUNK)
    ]
    if launch_version_pk is not None:
        selects.append(
            select(CourseVersion.pk, CourseVersion.course_pk)
            .join(Course, Course.pk == CourseVersion.course_pk)
            .where(CourseVersion.pk == launch_version_pk, Course.app_pk == app_pk)
        )
    if not selects:
        return set()
    stmt = selects[0] if len(selects) == 1 else union(*selects)
    return {(version_pk, course_pk) for version_pk, course_pk in session.execute(stmt)}


def insert_links(
    session: Session, statement_pk: int, stored: datetime, learner: str | None, versions: Iterable[tuple[int, int]]
) -> None:
    rows = [
        {"statement_pk": statement_pk, "version_pk": v, "course_pk": c, "stored": stored, "learner": learner}
        for v, c in sorted(versions)
    ]
    if rows:
        session.execute(insert(XapiStatementLink), rows)
