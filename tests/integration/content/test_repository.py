"""The bulk writes of content/repository.py: a package's thousands of blob and file rows in one statement each
(PostgreSQL reads them from arrays with unnest, SQLite takes an executemany), on both databases."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from coursehost.content import repository as repo
from coursehost.kit.db import Database
from coursehost.models import Application, Blob, Course, CourseVersion, VersionFile, utcnow

# More rows than a package of 10,000 files brings (the entry cap is 20,000), and more than the 32,766 parameters
# SQLite builds compiled with its default limit could bind in one multi-row VALUES clause.
ROWS = 12_000


def sha(n: int) -> str:
    return hashlib.sha256(str(n).encode()).hexdigest()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def version(db: Database) -> tuple[int, int]:
    """(app pk, version pk) of an empty version."""
    with db.session() as session:
        app = Application(app_id="REPO", name="repo", secret_hash="x")
        session.add(app)
        session.flush()
        course = Course(app_pk=app.pk, course_id="c", title="c")
        session.add(course)
        session.flush()
        found = CourseVersion(course_pk=course.pk, number=0, title="c", learning_standard="SCORM12", root_activity={})
        session.add(found)
        session.flush()
        return app.pk, found.pk


def test_ensure_blobs_records_many_and_keeps_rows_already_there(db: Database, version: tuple[int, int]) -> None:
    app_pk, _version_pk = version
    with db.session() as session:
        repo.ensure_blobs(session, app_pk, [(sha(0), 10), (sha(1), 11)])
    with db.session() as session:
        before = {blob.sha256: blob.created for blob in session.scalars(select(Blob))}
    # Rows already there (even with another size) are left as they are; a blob named twice is one row.
    blobs = [(sha(n), n + 5_000_000_000) for n in range(ROWS)] + [(sha(3), 3 + 5_000_000_000)]
    with db.session() as session:
        repo.ensure_blobs(session, app_pk, iter(blobs))
    with db.session() as session:
        rows = {blob.sha256: (blob.size, blob.created) for blob in session.scalars(select(Blob))}
    assert len(rows) == ROWS
    assert rows[sha(0)] == (10, before[sha(0)])
    assert rows[sha(1)] == (11, before[sha(1)])
    assert rows[sha(ROWS - 1)][0] == ROWS - 1 + 5_000_000_000
    assert all(created is not None for _size, created in rows.values())


def test_ensure_blobs_of_nothing_writes_nothing(db: Database, version: tuple[int, int]) -> None:
    with db.session() as session:
        repo.ensure_blobs(session, version[0], [])
        assert session.scalars(select(Blob)).all() == []


def test_add_files_inserts_a_large_file_list_as_given(db: Database, version: tuple[int, int]) -> None:
    app_pk, version_pk = version
    now = utcnow().replace(microsecond=0)
    files = [
        (f"dossier é/ünïcode {n:05d}/「{n}」.bin", sha(n % 100), n * 1_000_000, now - timedelta(seconds=n))
        for n in range(ROWS)
    ]
    with db.session() as session:
        repo.add_files(session, app_pk, version_pk, files)
        repo.add_files(session, app_pk, version_pk, [])
    with db.session() as session:
        stored = repo.list_files(session, version_pk)
        single = repo.find_file(session, version_pk, files[7][0])
    assert len(stored) == ROWS
    by_path = {file.path: file for file in stored}
    for path, digest, size, modified in files[:: ROWS // 50]:
        row = by_path[path]
        assert (row.app_pk, row.sha256, row.size) == (app_pk, digest, size)
        assert row.modified.replace(tzinfo=None) == modified.replace(tzinfo=None)
    assert single is not None
    assert single.size == 7_000_000


def test_add_files_refuses_a_path_twice_and_writes_none(db: Database, version: tuple[int, int]) -> None:
    app_pk, version_pk = version
    now = utcnow()
    with pytest.raises(Exception, match="(?i)unique|duplicate"), db.session() as session:
        repo.add_files(session, app_pk, version_pk, [("a.html", sha(1), 1, now), ("a.html", sha(2), 2, now)])
    with db.session() as session:
        assert session.scalars(select(VersionFile)).all() == []
