"""The connection pool keeps connections for as many concurrent sessions as requests can run at once."""

from __future__ import annotations

import threading

from sqlalchemy import event, text

from coursehost.kit.db import Database

CONCURRENT = 20


def test_concurrent_sessions_reuse_pooled_connections(database_url: str) -> None:
    database = Database(database_url)
    opened = 0

    @event.listens_for(database.engine, "connect")
    def _count(*_args: object) -> None:
        nonlocal opened
        opened += 1

    def burst() -> None:
        barrier = threading.Barrier(CONCURRENT)

        def work() -> None:
            with database.session() as session:
                assert session.execute(text("SELECT 1")).scalar() == 1
                barrier.wait(timeout=30)  # every session holds its connection at the same moment

        threads = [threading.Thread(target=work) for _ in range(CONCURRENT)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    try:
        burst()
        assert opened == CONCURRENT
        burst()
        # A pool smaller than the burst would have closed the extra connections and opened them again.
        assert opened == CONCURRENT
    finally:
        database.dispose()
