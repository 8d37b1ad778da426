"""What a request handler needs from the running service, handed out through FastAPI dependencies."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from coursehost.config import Settings
from coursehost.kit.db import Database
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
    # Rung when a job is queued; the worker pool (imports/worker.py, started by app.py and the CLI) waits on it.
    wakeup: Wakeup = field(default_factory=Wakeup)


async def get_context(request: Request) -> Context:
    # async: it does no I/O, and a sync dependency would cost a thread-pool hop on every request.
    ctx: Context = request.app.state.ctx
    return ctx


ContextDep = Annotated[Context, Depends(get_context)]


def request_session(ctx: ContextDep) -> Iterator[Session]:
    """One transaction for the request: committed when the handler has returned and its answer is built, before the
    answer is sent (``scope="function"``), rolled back when anything raised. FastAPI caches it per request, so the
    auth dependency and the handler share it."""
    with ctx.db.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(request_session, scope="function")]
