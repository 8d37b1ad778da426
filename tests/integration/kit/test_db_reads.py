"""``Database.read``/``read_async``: the hot reads run on a DBAPI cursor (or psycopg's async connection) give what
the same select gives through SQLAlchemy, and survive a connection the server dropped."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import bindparam, select, text

from coursehost.auth.service import create_application
from coursehost.kit.db import Database
from coursehost.models import Application, Course, CourseTag, CourseVersion

courses = Course.__table__
versions = CourseVersion.__table__
ROOT = {"itemIdentifier": "org", "activityType": "AGGREGATION", "title": "T", "children": []}
READ = (
    select(courses.c.course_id, courses.c.created, versions.c.root_activity, versions.c.course_metadata)
    .join_from(courses, versions, versions.c.course_pk == courses.c.pk)
    .where(courses.c.course_id == bindparam("course_id"))
)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    with database.session() as session:
        create_application(session, "reads")
        app_pk = session.scalar(select(Application.pk))
        course = Course(
            app_pk=app_pk,
            course_id="c1",
            title="T",
            latest_version=0,
            created=datetime(2024, 5, 6, 7, 8, 9, 10_000, UTC),
        )
        session.add(course)
        session.flush()
        session.add(
            CourseVersion(course_pk=course.pk, number=0, title="T", learning_standard="SCORM12", root_activity=ROOT)
        )
        session.add(CourseTag(course_pk=course.pk, tag="t"))
    yield database
    database.dispose()


def through_sqlalchemy(db: Database) -> list[dict[str, Any]]:
    with db.session() as session:
        return [dict(row._mapping) for row in session.execute(READ, {"course_id": "c1"})]


def test_a_read_gives_what_sqlalchemy_gives(db: Database) -> None:
    expected = through_sqlalchemy(db)
    assert expected[0]["root_activity"] == ROOT
    assert db.read(READ, {"course_id": "c1"}) == expected
    assert db.read(READ, {"course_id": "c1"}) == expected  # on the connection it kept
    assert db.read(READ, {"course_id": "nothing"}) == []


def test_a_read_survives_a_dropped_connection(db: Database) -> None:
    expected = through_sqlalchemy(db)
    assert db.read(READ, {"course_id": "c1"}) == expected
    held = db._held
    assert held is not None
    _drop(db, held[1])
    assert db.read(READ, {"course_id": "c1"}) == expected


def _drop(db: Database, connection: Any) -> None:
    """What a server restart does to a connection."""
    if db.is_sqlite:
        connection.dbapi_connection.close()
        return
    pid = connection.dbapi_connection.info.backend_pid
    with db.engine.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


def test_a_read_awaited_on_the_loop_gives_the_same(db: Database) -> None:
    expected = through_sqlalchemy(db)

    async def run() -> None:
        db.start_reads()
        try:
            assert await db.read_async(READ, {"course_id": "c1"}) == expected
            results = await asyncio.gather(*(db.read_async(READ, {"course_id": "c1"}) for _ in range(10)))
            assert results == [expected] * 10
            reads = db._pg_reads
            if reads is not None:  # PostgreSQL: a connection the server dropped is replaced
                for connection in list(reads._idle):
                    async with await _admin(db) as admin:
                        await admin.execute("SELECT pg_terminate_backend(%s)", (connection.info.backend_pid,))
                assert await db.read_async(READ, {"course_id": "c1"}) == expected
        finally:
            await db.stop_reads()

    asyncio.run(run())


async def _admin(db: Database) -> Any:
    import psycopg
    from sqlalchemy import make_url

    conninfo = make_url(db.url).set(drivername="postgresql").render_as_string(hide_password=False)
    return await psycopg.AsyncConnection.connect(conninfo, autocommit=True)
