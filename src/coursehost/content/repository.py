"""All SQL about blobs and version file lists."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    DateTime,
    Integer,
    String,
    Table,
    column,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnClause
from sqlalchemy.sql.selectable import TableValuedAlias

from coursehost.models import Application, Blob, Course, CourseVersion, ImportJob, VersionFile, utcnow


def lock_application(session: Session, app_pk: int) -> None:
    """Serialise blob garbage collection with anything that may start using a blob. A no-op UPDATE is a row lock
    on PostgreSQL and takes SQLite's write lock at once, so both databases serialise the same way."""
    session.execute(update(Application).where(Application.pk == app_pk).values(pk=Application.pk))


def ensure_blobs(session: Session, app_pk: int, blobs: Iterable[tuple[str, int]]) -> None:
    """Record these blobs of the application, those already recorded left as they are, in one statement whatever
    their number."""
    found = dict(blobs)
    if not found:
        return
    table, now = cast(Table, Blob.__table__), utcnow()
    if _is_postgresql(session):
        rows = _unnested(column("sha256", String), list(found), column("size", BigInteger), list(found.values()))
        source = select(literal(app_pk, Integer), rows.c.sha256, rows.c.size, literal(now, DateTime(timezone=True)))
        insert_rows = pg_insert(table).from_select(["app_pk", "sha256", "size", "created"], source)
        session.execute(insert_rows.on_conflict_do_nothing(index_elements=["app_pk", "sha256"]))
        return
    session.execute(
        sqlite_insert(table).on_conflict_do_nothing(index_elements=["app_pk", "sha256"]),
        [{"app_pk": app_pk, "sha256": sha, "size": size, "created": now} for sha, size in found.items()],
    )


def add_files(session: Session, app_pk: int, version_pk: int, files: Sequence[tuple[str, str, int, datetime]]) -> None:
    """Insert file rows of a version in one statement (Core, not ORM objects: they are never loaded back into this
    session)."""
    if not files:
        return
    table = cast(Table, VersionFile.__table__)
    if _is_postgresql(session):
        paths, shas, sizes, modified = (list(values) for values in zip(*files, strict=True))
        rows = _unnested(
            column("path", String), paths, column("sha256", String), shas, column("size", BigInteger), sizes,
            column("modified", DateTime(timezone=True)), modified,
        )  # fmt: skip
        source = select(literal(version_pk, Integer), literal(app_pk, Integer), *rows.c)
        session.execute(
            insert(table).from_select(["version_pk", "app_pk", "path", "sha256", "size", "modified"], source)
        )
        return
    session.execute(
        insert(table),
        [
            {"version_pk": version_pk, "app_pk": app_pk, "path": p, "sha256": sha, "size": size, "modified": when}
            for p, sha, size, when in files
        ],
    )


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _unnested(*pairs: Any) -> TableValuedAlias:
    """PostgreSQL: rows given as one array per column (``column, values, column, values, …``), read back as a table
    by ``unnest``. A package's thousands of rows are then one statement with one parameter per column, where an
    executemany would be a statement per row and a multi-row VALUES clause thousands of parameters for SQLAlchemy to
    compile one by one."""
    columns: list[ColumnClause[Any]] = list(pairs[::2])
    arrays = [literal(values, postgresql.ARRAY(col.type)) for col, values in zip(columns, pairs[1::2], strict=True)]
    return func.unnest(*arrays).table_valued(*columns).render_derived()


def find_served_version(session: Session, app_id: str, course_id: str, number: int) -> tuple[int, int] | None:
    """(version pk, app pk) of the version a ``webPathToCourse`` URL names."""
    row = session.execute(
        select(CourseVersion.pk, Course.app_pk)
        .join(Course, Course.pk == CourseVersion.course_pk)
        .join(Application, Application.pk == Course.app_pk)
        .where(Application.app_id == app_id, Course.course_id == course_id, CourseVersion.number == number)
    ).first()
    return (row[0], row[1]) if row else None


def list_files(session: Session, version_pk: int) -> list[VersionFile]:
    return list(
        session.scalars(select(VersionFile).where(VersionFile.version_pk == version_pk).order_by(VersionFile.path))
    )


def find_file(session: Session, version_pk: int, path: str) -> VersionFile | None:
    found = session.get(VersionFile, (version_pk, path))
    if found is not None:
        return found
    # Content authored on case-insensitive file systems often links "Images/A.PNG" to "images/a.png".
    matches = list(
        session.scalars(
            select(VersionFile).where(
                VersionFile.version_pk == version_pk, func.lower(VersionFile.path) == path.lower()
            )
        )
    )
    return matches[0] if len(matches) == 1 else None


def delete_file(session: Session, version_pk: int, path: str) -> None:
    session.execute(delete(VersionFile).where(VersionFile.version_pk == version_pk, VersionFile.path == path))


def has_other_active_jobs(session: Session, app_pk: int, job_id: str | None) -> bool:
    stmt = select(ImportJob.id).where(ImportJob.app_pk == app_pk, ImportJob.state.in_(("queued", "running")))
    if job_id is not None:
        stmt = stmt.where(ImportJob.id != job_id)
    return session.scalar(stmt.limit(1)) is not None


def orphan_blobs(session: Session, app_pk: int, candidates: Sequence[str] | None) -> list[str]:
    used = exists().where(VersionFile.app_pk == Blob.app_pk, VersionFile.sha256 == Blob.sha256)
    stmt = select(Blob.sha256).where(Blob.app_pk == app_pk, ~used)
    if candidates is not None:
        stmt = stmt.where(Blob.sha256.in_(list(candidates)))
    return list(session.scalars(stmt))


def delete_blobs(session: Session, app_pk: int, shas: Sequence[str]) -> None:
    session.execute(delete(Blob).where(Blob.app_pk == app_pk, Blob.sha256.in_(list(shas))))


def apps_with_blobs(session: Session) -> list[int]:
    return list(session.scalars(select(Blob.app_pk).distinct()))
