"""All SQL about courses, versions and tags."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Select,
    Table,
    Text,
    aggregate_order_by,
    and_,
    bindparam,
    cast,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, selectinload

from coursehost.kit.db import Database
from coursehost.models import Application, Course, CourseTag, CourseVersion, VersionFile

# The reads getCourse and getCourses make are Core selects of plain columns: one statement, rows rather than
# entities (no identity map, no second query for tags).
_courses: Table = Course.__table__  # type: ignore[assignment]
_versions: Table = CourseVersion.__table__  # type: ignore[assignment]
_tags: Table = CourseTag.__table__  # type: ignore[assignment]


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
    return {"created": _courses.c.created, "updated": _courses.c.updated, "title": _courses.c.title}[field]


def _conditions(app_pk: int, query: CourseQuery) -> list[ColumnElement[bool]]:
    c, t = _courses.c, _tags.c
    conds: list[ColumnElement[bool]] = [c.app_pk == app_pk, c.latest_version.is_not(None)]
    column = c.created if query.datetime_filter == "created" else c.updated
    if query.since is not None:
        conds.append(column >= query.since)
    if query.until is not None:
        conds.append(column <= query.until)
    if query.tags:
        conds.append(exists().where(t.course_pk == c.pk, t.tag.in_(query.tags)))
    if query.filter:
        needle = query.filter.lower()
        if query.filter_by == "tags":
            conds.append(exists().where(t.course_pk == c.pk, func.lower(t.tag).contains(needle, autoescape=True)))
        else:
            target = c.title if query.filter_by in ("title", "course_title") else c.course_id
            conds.append(func.lower(target).contains(needle, autoescape=True))
    return conds


def _tags_of_each(dialect: str) -> ColumnElement[Any]:
    """A course's tags as JSON text, in the order the database sorts them. SQLite's aggregates take no ORDER BY
    before 3.44: an ordered subquery feeds it, which SQLite never flattens into an aggregate, so the order holds."""
    if dialect == "postgresql":
        agg = aggregate_order_by(func.json_agg(_tags.c.tag), _tags.c.tag)
        listed = select(func.coalesce(cast(agg, Text), "[]")).where(_tags.c.course_pk == _courses.c.pk)
        return listed.scalar_subquery()
    ordered = select(_tags.c.tag).where(_tags.c.course_pk == _courses.c.pk).order_by(_tags.c.tag)
    subquery = ordered.correlate(_courses).subquery()
    return select(func.json_group_array(subquery.c.tag)).scalar_subquery()


def _course_read(dialect: str, metadata: bool) -> Select[Any]:
    """A visible course with its latest version: the columns its wire form needs, its tags aggregated, and what is
    stored as JSON left as text (pydantic parses it while validating: courses/schemas.py StoredCourse)."""
    c, v = _courses.c, _versions.c
    columns: list[Any] = [
        c.pk,
        c.course_id,
        c.title.label("course_title"),
        c.created,
        c.updated,
        v.title,
        v.xapi_activity_id,
        v.number,
        v.learning_standard,
        cast(v.root_activity, Text).label("root_activity"),
        _tags_of_each(dialect).label("tags"),
    ]
    if metadata:
        columns.append(cast(v.course_metadata, Text).label("course_metadata"))
    return select(*columns).join_from(_courses, _versions, and_(v.course_pk == c.pk, v.number == c.latest_version))


_READS: dict[tuple[str, bool, bool], Select[Any]] = {}


def _read_statement(dialect: str, metadata: bool, by_id: bool) -> Select[Any]:
    # Built once per dialect and flag (constructing a select costs more than running it on SQLite); getCourse's
    # takes its values as bound parameters, so it is also compiled once (Database.read).
    stmt = _READS.get((dialect, metadata, by_id))
    if stmt is None:
        stmt = _course_read(dialect, metadata)
        if by_id:
            stmt = stmt.where(_courses.c.app_pk == bindparam("app_pk"), _courses.c.course_id == bindparam("course_id"))
        _READS[(dialect, metadata, by_id)] = stmt
    return stmt


async def read_latest(db: Database, app_pk: int, course_id: str, *, metadata: bool) -> dict[str, Any] | None:
    """getCourse's one row: a visible course, its latest version's columns and its tags (outside any session, on
    the event loop: ``Database.read_async``)."""
    stmt = _read_statement(db.read_engine.dialect.name, metadata, by_id=True)
    rows = await db.read_async(stmt, {"app_pk": app_pk, "course_id": course_id})
    return rows[0] if rows else None


def read_page(
    connection: Connection,
    app_pk: int,
    query: CourseQuery,
    after: tuple[Any, int] | None,
    limit: int,
    *,
    metadata: bool,
) -> list[Row[Any]]:
    """One page of getCourses in ``query.order_by`` order, strictly after the keyset position ``after`` (sort
    value, pk), each row with the columns :func:`read_latest` gives (``course_title`` is a sort key)."""
    column = _sort_column(query.order_by)
    descending = query.order_by.endswith("_desc")
    conds = _conditions(app_pk, query)
    pk = _courses.c.pk
    if after is not None:
        value, after_pk = after
        if descending:
            conds.append(or_(column < value, and_(column == value, pk < after_pk)))
        else:
            conds.append(or_(column > value, and_(column == value, pk > after_pk)))
    order = (column.desc(), pk.desc()) if descending else (column.asc(), pk.asc())
    stmt = _read_statement(connection.dialect.name, metadata, by_id=False).where(*conds).order_by(*order).limit(limit)
    return list(connection.execute(stmt))


def count_courses(connection: Connection | Session, app_pk: int, query: CourseQuery) -> int:
    return connection.scalar(select(func.count()).select_from(_courses).where(*_conditions(app_pk, query))) or 0


def find_course(session: Session, app_pk: int, course_id: str, *, for_update: bool = False) -> Course | None:
    """Any course row, including one whose first import is still running."""
    stmt = select(Course).where(Course.app_pk == app_pk, Course.course_id == course_id)
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def find_latest(session: Session, app_pk: int, course_id: str) -> tuple[Course, CourseVersion] | None:
    """A visible course with its latest version, in one round trip (its tags load when first used)."""
    stmt = (
        select(Course, CourseVersion)
        .join(CourseVersion, and_(CourseVersion.course_pk == Course.pk, CourseVersion.number == Course.latest_version))
        .where(Course.app_pk == app_pk, Course.course_id == course_id)
    )
    row = session.execute(stmt).first()
    return (row[0], row[1]) if row else None


def find_courses(session: Session, app_pk: int, course_ids: Sequence[str]) -> list[Course]:
    stmt = (
        select(Course)
        .where(Course.app_pk == app_pk, Course.course_id.in_(course_ids), Course.latest_version.is_not(None))
        .options(selectinload(Course.tags))  # each course's tags are checked: one query for all of them
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
