"""What a request handler needs from the running service, handed out through FastAPI dependencies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request

from coursehost.config import Settings
from coursehost.kit.db import Database
from coursehost.storage import Storage

if TYPE_CHECKING:
    from coursehost.content.store import ContentStore
    from coursehost.imports.worker import Dispatcher


@dataclass
class Context:
    settings: Settings
    db: Database
    storage: Storage
    content: ContentStore
    dispatcher: Dispatcher


async def get_context(request: Request) -> Context:
    # async: it does no I/O, and a sync dependency would cost a thread-pool hop on every request.
    ctx: Context = request.app.state.ctx
    return ctx


ContextDep = Annotated[Context, Depends(get_context)]
