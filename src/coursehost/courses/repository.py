"""All SQL about courses, versions and tags."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session

from coursehost.models import Application, Course, CourseTag, CourseVersion, VersionFile


@dataclass(frozen=True)
class CourseQuery:
    since: datetime | None = None
    until: datetime | None = None
    datetime_filter: str = "updated"
    tags: tuple[str, ...] = ()
    filter: str | None = None
    filter_by: str = "course_id"
    order_by: str = "created_desc"


def _sort_column(order_by: str) -> Any:
    field = order_by.rsplit("_", 1)[0]
    return {"created": Course.created, "updated": Course.updated, "title": Course.title}[field]


def _conditions(app_pk: int, query: CourseQuery) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [Course.app_pk == app_pk, Course.latest_version.is_not(None)]
    column = Course.created if query.datetime_filter == "created" else Course.updated
    if query.since is not None:
        conds.append(column >= query.since)
    if query.until is not None:
        conds.append(column <= query.until)
    if query.tags:
        conds.append(exists().where(CourseTag.course_pk == Course.pk, CourseTag.tag.in_(query.tags)))
    if query.filter:
        needle = query.filter.lower()
        if query.filter_by == "tags":
            tag_match = func.lower(CourseTag.tag).contains(needle, autoescape=True)
            conds.append(exists().where(CourseTag.course_pk == Course.pk, tag_match))
        else:
            target = Course.title if query.filter_by in ("title", "course_title") else Course.course_id
            conds.append(func.lower(target).contains(needle, autoescape=True))
    return conds


def list_courses(
    session: Session, app_pk: int, query: CourseQuery, after: tuple[Any, int] | None, limit: int
) -> list[tuple[Course, CourseVersion]]:
    """One page in ``query.order_by`` order, strictly after the keyset position ``after`` (sort value, pk)."""
    column = _sort_column(query.order_by)
    descending = query.order_by.endswith("_desc")
    conds = _conditions(app_pk, query)
    if after is not None:
        value, pk = after
        if descending:
            conds.append(or_(column < value, and_(column == value, Course.pk < pk)))
        else:
            conds.append(or_(column > value, and_(column == value, Course.pk > pk)))
    order = (column.desc(), Course.pk.desc()) if descending else (column.asc(), Course.pk.asc())
    stmt = (
        select(Course, CourseVersion)
        .join(CourseVersion, and_(CourseVersion.course_pk == Course.pk, CourseVersion.number == Course.latest_version))
        .where(*conds)
        .order_by(*order)
        .limit(limit)
    )
    return [(c, v) for c, v in session.execute(stmt)]


def count_courses(session: Session, app_pk: int, query: CourseQuery) -> int:
    return session.scalar(select(func.count()).select_from(Course).where(*_conditions(app_pk, query))) or 0


def find_course(session: Session, app_pk: int, course_id: str, *, for_update: bool = False) -> Course | None:
    """Any course row, including one whose first import is still running."""
    stmt = select(Course).where(Course.app_pk == app_pk, Course.course_id == course_id)
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def find_latest(session: Session, app_pk: int, course_id: str) -> tuple[Course, CourseVersion] | None:
    """A visible course with its latest version, in one round trip."""
    stmt = (
        select(Course, CourseVersion)
        .join(CourseVersion, and_(CourseVersion.course_pk == Course.pk, CourseVersion.number == Course.latest_version))
        .where(Course.app_pk == app_pk, Course.course_id == course_id)
    )
    row = session.execute(stmt).first()
    return (row[0], row[1]) if row else None


def find_courses(session: Session, app_pk: int, course_ids: Sequence[str]) -> list[Course]:
    stmt = select(Course).where(
        Course.app_pk == app_pk, Course.course_id.in_(course_ids), Course.latest_version.is_not(None)
    )
    return list(session.scalars(stmt))


def get_version(session: Session, course_pk: int, number: int) -> CourseVersion | None:
    return session.scalar(
        select(CourseVersion).where(CourseVersion.course_pk == course_pk, CourseVersion.number == number)
    )


def list_versions(
    session: Session, course_pk: int, since: datetime | None, until: datetime | None
) -> list[CourseVersion]:
    stmt = select(CourseVersion).where(CourseVersion.course_pk == course_pk)
    if since is not None:
        stmt = stmt.where(CourseVersion.updated >= since)
    if until is not None:
        stmt = stmt.where(CourseVersion.updated <= until)
    return list(session.scalars(stmt.order_by(CourseVersion.number)))


def max_version(session: Session, course_pk: int) -> int | None:
    return session.scalar(select(func.max(CourseVersion.number)).where(CourseVersion.course_pk == course_pk))


def add_tags(session: Session, course: Course, tags: Sequence[str]) -> None:
    have = {t.tag for t in course.tags}
    for tag in dict.fromkeys(tags):
        if tag not in have:
            course.tags.append(CourseTag(course_pk=course.pk, tag=tag))


# Bound parameters per statement: SQLite allows 32,766 and PostgreSQL 65,535, and a 1 MiB body holds more tags.
IN_CHUNK = 500


def remove_tags(session: Session, course: Course, tags: Sequence[str]) -> None:
    wanted = list(dict.fromkeys(tags))
    for start in range(0, len(wanted), IN_CHUNK):
        chunk = wanted[start : start + IN_CHUNK]
        session.execute(delete(CourseTag).where(CourseTag.course_pk == course.pk, CourseTag.tag.in_(chunk)))
    if wanted:
        session.expire(course, ["tags"])


def set_title(session: Session, course: Course, title: str, now: datetime) -> None:
    course.title = title
    course.updated = now
    session.execute(update(CourseVersion).where(CourseVersion.course_pk == course.pk).values(title=title, updated=now))


def blobs_of_course(session: Session, course_pk: int) -> list[str]:
    stmt = (
        select(VersionFile.sha256)
        .join(CourseVersion, CourseVersion.pk == VersionFile.version_pk)
        .where(CourseVersion.course_pk == course_pk)
        .distinct()
    )
    return list(session.scalars(stmt))


def version_pks(session: Session, course_pk: int) -> list[int]:
    return list(session.scalars(select(CourseVersion.pk).where(CourseVersion.course_pk == course_pk)))


def blobs_of_version(session: Session, version_pk: int) -> list[str]:
    return list(session.scalars(select(VersionFile.sha256).where(VersionFile.version_pk == version_pk).distinct()))


def delete_course(session: Session, course: Course) -> None:
    # Bulk deletes skip the ORM cascade, so the file lists go explicitly (the FK cascade covers PostgreSQL too).
    versions = select(CourseVersion.pk).where(CourseVersion.course_pk == course.pk)
    session.execute(delete(VersionFile).where(VersionFile.version_pk.in_(versions)))
    session.execute(delete(CourseVersion).where(CourseVersion.course_pk == course.pk))
    session.delete(course)


def delete_version(session: Session, version: CourseVersion) -> None:
    session.delete(version)
    session.flush()


def app_id_of(session: Session, app_pk: int) -> str:
    """The public id of an application (part of the IRIs derived for its courses)."""
    return session.scalars(select(Application.app_id).where(Application.pk == app_pk)).one()
