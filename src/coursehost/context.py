"""What a request handler needs from the running service, handed out through FastAPI dependencies."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, NamedTuple, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from fastapi import Depends, Request
from sqlalchemy.orm import Session

from coursehost.config import Settings
from coursehost.kit.cache import TaggedCache
from coursehost.kit.db import Database
from coursehost.kit.invalidation import Invalidations
from coursehost.kit.ratelimit import FailureLimiter
from coursehost.kit.wakeup import Wakeup
from coursehost.storage import Storage

if TYPE_CHECKING:
    from coursehost.content.store import ContentStore


class KnownApp(NamedTuple):
    """What authentication remembers of an application it has seen (auth/dependencies.py)."""

    pk: int
    # A digest of its stored secret hash, which bearer tokens carry (auth/tokens.py); "" for Basic entries.
    token_generation: str


CredentialCache = TaggedCache[tuple[str, str, str], KnownApp]
"""(kind, app id, secret digest or "") -> the application, tagged with its app id."""


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
    # Credentials that authenticated (auth/dependencies.py), dropped through ``invalidations`` when a secret changes.
    credentials: CredentialCache
    # Rung when a job is queued; the worker pool (imports/worker.py, started by app.py and the CLI) waits on it.
    wakeup: Wakeup = field(default_factory=Wakeup)


async def get_context(request: Request) -> Context:
    # async: it does no I/O, and a sync dependency would cost a thread-pool hop on every request.
    return context_of(request)


def context_of(request: Request) -> Context:
    """The service's context, for dependencies: taking the request rather than ``ContextDep`` spares FastAPI a
    dependency to solve on every request (it solves a cached dependency's own parameters each time it is named)."""
    ctx: Context = request.app.state.ctx
    return ctx


ContextDep = Annotated[Context, Depends(get_context)]


async def request_session(request: Request) -> AsyncIterator[Session]:
    """One session for the request, shared by the auth dependency and the handler (FastAPI caches it per request).
    Its transaction begins on first use and is committed once the handler has returned and its answer is built,
    before the answer is sent (``scope="function"``); it is rolled back when anything raised.

    async, so that opening it costs no thread-pool hop (creating a session does no I/O); only ending a transaction
    that was begun goes to a thread."""
    session = context_of(request).db.sessions()
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

T = TypeVar("T")


# getCourses' pages are built in Python (rows to the wire model to JSON): CPU work that holds the GIL. A thread per
# request lets 32 concurrent pages convoy on it and halves throughput; two threads keep the loop free meanwhile and
# lose nothing (docs/decisions.md). Per process, shared by every service in it: they hold no state.
_READERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="reads")


async def run_read(read: Callable[[], T]) -> T:
    """Run a read that needs no session (``Database.reading``) off the event loop, in one hop to one of two threads:
    for reads that take long enough (getCourses: a page of 100 courses, serialised) that the loop should serve
    other requests meanwhile. The shortest ones (getCourse) run on the loop itself."""
    return await asyncio.get_running_loop().run_in_executor(_READERS, read)
