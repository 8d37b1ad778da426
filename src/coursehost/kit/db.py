"""Engine and session handling for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

POOL_SIZE = 40


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # Requests run on up to 40 threads (AnyIO's default limit). A pool smaller than that opens and closes an
        # overflow connection (and runs the pragmas below) on every busy request; SQLite connections are cheap to keep.
        # Last in, first out: each connection keeps its own page cache (up to 2 MiB), so handing out the same few
        # while load is light keeps them warm and leaves the others small, instead of growing all 40 in turn.
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=POOL_SIZE, max_overflow=10,
            pool_use_lifo=True,
        )  # fmt: skip

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
            # SQLite's own lower() folds ASCII only; filters must treat "École" and "école" alike, as PostgreSQL does.
            dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

        return engine
    return create_engine(url, pool_size=POOL_SIZE // 2, max_overflow=POOL_SIZE, pool_pre_ping=True, pool_use_lifo=True)


class Database:
    """Owns the engine and hands out sessions: a request's (``context.request_session`` commits it at the request
    boundary) and blocks of their own for the code that needs several transactions (``session()``)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        # Public so that session events can be listened to on it (tests count the sessions a request opens).
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction, committed when the block ends cleanly and rolled back when it raises."""
        with self.sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
