"""PostgreSQL reads awaited on the event loop (``Database.read_async``): getCourse neither blocks the loop while the
server answers nor pays a thread hop (docs/decisions.md).

A few psycopg ``AsyncConnection``s in autocommit, opened when first needed, for the event loop the service started
on (``Database.start_reads``). A read takes an idle one or opens one, up to ``size``, and otherwise waits for one.
A connection that saw anything go wrong (the server restarted, the read was cancelled midway) is closed rather than
reused, and a read that failed on its connection (other than by the statement timeout) is tried once more on a new
one, the idle ones being closed too (a restart ended them all). Rows come back as psycopg
gives them, which is what the SQLAlchemy engine's psycopg connections give too (JSON parsed, ``timestamptz``
aware).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import psycopg

SIZE = 8


class PgReads:
    def __init__(self, conninfo: str, timeout_ms: int, size: int = SIZE) -> None:
        self.conninfo = conninfo
        self.timeout_ms = timeout_ms
        self.loop = asyncio.get_running_loop()
        self._slots = asyncio.Semaphore(size)
        self._idle: list[psycopg.AsyncConnection[Any]] = []
        self._closing: set[asyncio.Task[None]] = set()
        self._closed = False

    async def fetch(self, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        attempt = 1
        while True:
            await self._slots.acquire()
            connection: psycopg.AsyncConnection[Any] | None = None
            ok = False
            try:
                connection = self._idle.pop() if self._idle else await self._connect()
                async with connection.cursor() as cursor:
                    await cursor.execute(sql, params)
                    rows = await cursor.fetchall()
                ok = True
                return rows
            except psycopg.errors.QueryCanceled:  # the statement timeout: trying again would only wait as long
                raise
            except psycopg.OperationalError:
                # The server went away (restarted, or ended this connection): once more on a new connection. A read
                # may be repeated; the connection that failed is closed, whatever its state.
                if attempt == 2:
                    raise
                attempt += 1
                self._drop_idle()  # what ended this one (a restart) ended them too, most likely
            finally:
                self._put_back(connection, ok)
                self._slots.release()

    async def _connect(self) -> psycopg.AsyncConnection[Any]:
        return await psycopg.AsyncConnection.connect(
            self.conninfo, autocommit=True, options=f"-c statement_timeout={self.timeout_ms}"
        )

    def _put_back(self, connection: psycopg.AsyncConnection[Any] | None, ok: bool) -> None:
        if connection is None:
            return
        if ok and not self._closed and not connection.closed:
            self._idle.append(connection)
            return
        self._close_soon(connection)

    def _drop_idle(self) -> None:
        idle, self._idle = self._idle, []
        for connection in idle:
            self._close_soon(connection)

    def _close_soon(self, connection: psycopg.AsyncConnection[Any]) -> None:
        # Closed in the background: this may run in a task being cancelled, which can await nothing more.
        task = self.loop.create_task(connection.close())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def close(self) -> None:
        self._closed = True
        idle, self._idle = self._idle, []
        for connection in idle:
            await connection.close()
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)
