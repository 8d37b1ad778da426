"""Shared fixtures. The database is chosen by COURSEHOST_TEST_DATABASE_URL (PostgreSQL in CI's second pass);
without it, every test runs on a fresh SQLite file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

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


@pytest.fixture(scope="session")
def migrated_pg() -> str:
    reset_database(PG_URL)
    return PG_URL


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if not PG_URL:
        url = f"sqlite:///{tmp_path / 'test.db'}"
        upgrade(url)
        yield url
        return
    url = request.getfixturevalue("migrated_pg")
    yield url
    engine = create_engine(url)
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()
