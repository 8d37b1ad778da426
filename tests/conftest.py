"""Shared fixtures. The database is chosen by COURSEHOST_TEST_DATABASE_URL (PostgreSQL in CI's second pass);
without it, every test runs on a fresh SQLite file: a copy of one migrated once per session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from coursehost.kit.migrate import upgrade
from coursehost.models import Base

PG_URL = os.environ.get("COURSEHOST_TEST_DATABASE_URL", "")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for marker in ("unit", "integration", "e2e", "security"):
            if f"/tests/{marker}/" in str(item.path):
                item.add_marker(getattr(pytest.mark, marker))


def reset_database(url: str) -> None:
    """Drop everything and migrate from scratch, so each session also tests the migration chain."""
    engine = create_engine(url)
    with engine.begin() as conn:
        Base.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    upgrade(url)


def empty_tables(engine: Engine) -> None:
    """Delete every row but keep the schema: what a test leaves behind on the shared PostgreSQL database."""
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture(scope="session")
def migrated_pg() -> Iterator[Engine]:
    """The PostgreSQL database, migrated once per session, and one engine to empty it between tests."""
    reset_database(PG_URL)
    engine = create_engine(PG_URL)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per session; each test gets a copy (a file copy costs about a millisecond, the
    migration chain about a quarter of a second and grows with every revision)."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if not PG_URL:
        database = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), database)
        yield f"sqlite:///{database}"
        return
    engine: Engine = request.getfixturevalue("migrated_pg")
    yield PG_URL
    empty_tables(engine)
