"""What a request handler needs from the running service, handed out through FastAPI dependencies."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

import anyio.to_thread
from anyio import CapacityLimiter
from fastapi import Depends, Request
from sqlalchemy.orm import Session

from coursehost.config import Settings
from coursehost.kit.db import Database
from coursehost.kit.invalidation import Invalidations
from coursehost.kit.ratelimit import FailureLimiter
from coursehost.kit.wakeup import Wakeup
from coursehost.storage import Storage

if TYPE_CHECKING:
    from coursehost.content.store import ContentStore


@dataclass
class Context:
    settings: Settings
    db: Database
    storage: Storage
    content: ContentStore
    # Failed authentications of this service (one per application object: tests run several in one process).
    auth_failures: FailureLimiter
    # Tells this process's caches what other processes changed (and what this one did, once committed).
    invalidations: Invalidations
    # Rung when a job is queued; the worker pool (imports/worker.py, started by app.py and the CLI) waits on it.
    wakeup: Wakeup = field(default_factory=Wakeup)


async def get_context(request: Request) -> Context:
    # async: it does no I/O, and a sync dependency would cost a thread-pool hop on every request.
    ctx: Context = request.app.state.ctx
    return ctx


ContextDep = Annotated[Context, Depends(get_context)]


async def request_session(ctx: ContextDep) -> AsyncIterator[Session]:
    """One session for the request, shared by the auth dependency and the handler (FastAPI caches it per request).
    Its transaction begins on first use and is committed once the handler has returned and its answer is built,
    before the answer is sent (``scope="function"``); it is rolled back when anything raised.

    async, so that opening it costs no thread-pool hop (creating a session does no I/O); only ending a transaction
    that was begun goes to a thread."""
    session = ctx.db.sessions()
    try:
        yield session
    except BaseException:
        await _end(session, commit=False)
        raise
    await _end(session, commit=True)


async def _end(session: Session, *, commit: bool) -> None:
    if not session.in_transaction():  # never used, or the handler ended it: no connection held, nothing to do
        session.close()
        return
    # A limiter of its own, as FastAPI gives sync dependencies' exits: ending the transaction gives a connection
    # back, so it must never queue behind request threads that may be waiting for a connection.
    await anyio.to_thread.run_sync(_commit if commit else _rollback, session, limiter=CapacityLimiter(1))


def _commit(session: Session) -> None:
    try:
        session.commit()
    finally:
        session.close()


def _rollback(session: Session) -> None:
    try:
        session.rollback()
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(request_session, scope="function")]
