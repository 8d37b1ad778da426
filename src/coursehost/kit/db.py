"""Engine and session handling for SQLite (embedded default) and PostgreSQL (production), and the hot reads that run
outside any session (``Database.read``, ``read_async``, ``reading``: docs/architecture.md, "The read path").

A read on the event loop never waits on a writer on SQLite (WAL: readers see the last commit without a lock); on
PostgreSQL it is awaited (kit/pgreads.py), and its read connections time statements out after ``READ_TIMEOUT_MS``."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Select, create_engine, event, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from coursehost.kit.pgreads import PgReads

POOL_SIZE = 40
READ_TIMEOUT_MS = 5000


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


def make_read_engine(url: str) -> Engine:
    """PostgreSQL connections for :meth:`Database.read` and :meth:`Database.reading`: in autocommit, so a read is one
    round trip (no BEGIN and no ROLLBACK around it). A connection is pinged when taken from the pool, as the main
    engine's are; ``read`` takes one only now and then (it keeps one), and retries once on a new one when the one
    it kept was dropped (the server restarted)."""
    return create_engine(
        url,
        isolation_level="AUTOCOMMIT",
        pool_size=POOL_SIZE // 4,
        max_overflow=POOL_SIZE,
        pool_pre_ping=True,
        pool_use_lifo=True,
        # getCourse reads on the event loop: a read that waits (a lock taken by a migration) must not hold up every
        # request of the process for long.
        connect_args={"options": f"-c statement_timeout={READ_TIMEOUT_MS}"},
    )


@dataclass(frozen=True)
class Prepared:
    """A select compiled once for one dialect, run by :meth:`Database.read` straight on a DBAPI cursor."""

    sql: str
    # The bound parameters in the order a positional driver (SQLite's) wants them; None: the driver takes names.
    positions: tuple[str, ...] | None
    names: tuple[str, ...]  # the result's columns
    # Each column's conversion from what the driver returns (SQLAlchemy's own, e.g. SQLite's text to datetime).
    processors: tuple[Callable[[Any], Any] | None, ...]
    # The values of the parameters the statement carries itself (a literal in it, such as a default).
    defaults: Mapping[str, Any]

    def bind(self, params: Mapping[str, Any]) -> Any:
        values = {**self.defaults, **params}
        return values if self.positions is None else tuple(values[name] for name in self.positions)


def _converted(prepared: Prepared, rows: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
    names = prepared.names
    converted = [(i, p) for i, p in enumerate(prepared.processors) if p is not None]
    found = []
    for row in rows:
        values = list(row)
        for i, process in converted:
            values[i] = process(values[i])
        found.append(dict(zip(names, values, strict=True)))
    return found


class Database:
    """Owns the engine and hands out sessions: a request's (``context.request_session`` commits it at the request
    boundary) and blocks of their own for the code that needs several transactions (``session()``)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        # Public so that session events can be listened to on it (tests count the sessions a request opens).
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_engine: Engine | None = None
        self._prepared: dict[Select[Any], Prepared] = {}
        # The read engine's connection kept by the first thread that reads (the event loop's): (thread, connection).
        self._held: tuple[int, Any] | None = None
        self._held_lock = threading.Lock()
        self._pg_reads: PgReads | None = None

    @property
    def read_engine(self) -> Engine:
        """Where :meth:`read` and :meth:`reading` run: SQLite's engine itself (a SELECT begins no transaction
        there), a pool of autocommit connections on PostgreSQL (``make_read_engine``)."""
        if self._read_engine is None:
            self._read_engine = self.engine if self.is_sqlite else make_read_engine(self.url)
        return self._read_engine

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for a few reads outside any session (what the hot read paths use: a session and its
        transaction cost more than a short read on SQLite). It sees what is committed; nothing it does is kept."""
        with self.read_engine.connect() as connection:
            yield connection

    def prepare(self, stmt: Select[Any]) -> Prepared:
        """Compile ``stmt`` (a module-level constant, with ``bindparam``s for what varies) once for this database."""
        found = self._prepared.get(stmt)
        if found is None:
            dialect = self.read_engine.dialect
            compiled = stmt.compile(dialect=dialect)
            processors = tuple(
                column.type.dialect_impl(dialect).result_processor(dialect, None) for column in stmt.selected_columns
            )
            positions = tuple(compiled.positiontup) if compiled.positional and compiled.positiontup else None
            names = tuple(str(column.key) for column in stmt.selected_columns)
            defaults = {name: bind.effective_value for name, bind in compiled.binds.items() if not bind.required}
            found = self._prepared[stmt] = Prepared(compiled.string, positions, names, processors, defaults)
        return found

    def read(self, stmt: Select[Any], params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Run a prepared select straight on a DBAPI cursor and return its rows as dicts, converted as SQLAlchemy
        would. For the hottest reads (getCourse: :meth:`read_async`): no Session, no Connection, no pool round per
        read (the first thread that reads, the event loop's, keeps one connection of the read engine), so a read
        costs about what the driver's execute costs. The same statement on the same PostgreSQL connection is also
        prepared by psycopg after a few runs, so the server stops planning it."""
        prepared = self.prepare(stmt)
        bound = prepared.bind(params)
        dialect = self.read_engine.dialect
        for attempt in (1, 2):
            connection, held = self._reader()
            cursor = None
            try:
                cursor = connection.cursor()
                cursor.execute(prepared.sql, bound)
                rows = cursor.fetchall()
                cursor.close()
                break
            except dialect.loaded_dbapi.Error as exc:
                # A connection that was dropped (the server restarted) is replaced and the read tried once more.
                dropped = dialect.is_disconnect(exc, connection.dbapi_connection, cursor)
                if dropped:
                    connection.invalidate()
                if held:  # given back (to be replaced if it was dropped); one taken for this read is, below
                    self._held = None
                    connection.close()
                if attempt == 2 or not dropped:
                    raise DBAPIError.instance(prepared.sql, params, exc, dialect.loaded_dbapi.Error) from exc
            finally:
                if not held:
                    connection.close()
        return _converted(prepared, rows)

    def start_reads(self) -> None:
        """Open :meth:`read_async`'s PostgreSQL connections (lazily) for the running event loop: the service's."""
        if not self.is_sqlite:
            conninfo = make_url(self.url).set(drivername="postgresql").render_as_string(hide_password=False)
            self._pg_reads = PgReads(conninfo, READ_TIMEOUT_MS)

    async def stop_reads(self) -> None:
        reads, self._pg_reads = self._pg_reads, None
        if reads is not None:
            await reads.close()

    async def read_async(self, stmt: Select[Any], params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """:meth:`read` for the event loop: on PostgreSQL awaited on the loop (kit/pgreads.py), so the loop serves
        other requests while the server answers; on SQLite :meth:`read` itself (no server to wait for: a read is
        shorter than a thread hop). A loop the service did not start on (a test's client without a lifespan) gets
        :meth:`read` too."""
        reads = self._pg_reads
        if reads is None or reads.loop is not asyncio.get_running_loop():
            return self.read(stmt, params)
        prepared = self.prepare(stmt)
        return _converted(prepared, await reads.fetch(prepared.sql, prepared.bind(params)))

    def _reader(self) -> tuple[Any, bool]:
        """The connection to read on, and whether it is the held one: the first thread to read (the event loop's)
        keeps one; any other thread takes one from the pool for the read."""
        thread = threading.get_ident()
        held = self._held
        if held is not None and held[0] == thread:
            return held[1], True
        connection = self.read_engine.raw_connection()
        if held is None:
            with self._held_lock:
                if self._held is None:
                    self._held = (thread, connection)
                    return connection, True
        return connection, False

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction, committed when the block ends cleanly and rolled back when it raises."""
        with self.sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        with self._held_lock:
            held, self._held = self._held, None
        if held is not None:
            held[1].close()
        if self._read_engine is not None and self._read_engine is not self.engine:
            self._read_engine.dispose()
        self.engine.dispose()
