"""Side effects that must wait for the database: handing a job to a worker, deleting a version's files.

``after_commit`` parks a callback on the session; it runs once the transaction commits and is dropped on
rollback. Jobs therefore carry ids only and a worker never sees a row that was not committed, and files are only
deleted once no committed row points at them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

_KEY = "coursehost.after_commit"
log = logging.getLogger(__name__)


def after_commit(session: Session, callback: Callable[[], object]) -> None:
    session.info.setdefault(_KEY, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run(session: Session) -> None:
    for callback in session.info.pop(_KEY, []):
        try:
            callback()
        except Exception:  # a failed side effect must not turn a committed request into an error
            log.exception("after-commit callback failed")


@event.listens_for(Session, "after_rollback")
def _drop(session: Session) -> None:
    session.info.pop(_KEY, None)
