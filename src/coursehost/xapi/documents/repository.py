"""All SQL of the LRS's documents (the ``xapi_documents`` table)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coursehost.models import XapiDocument


def find(
    session: Session, app_pk: int, kind: str, scope: str, document_id: str, *, lock: bool = False
) -> XapiDocument | None:
    query = select(XapiDocument).where(
        XapiDocument.app_pk == app_pk,
        XapiDocument.kind == kind,
        XapiDocument.scope == scope,
        XapiDocument.document_id == document_id,
    )
    # A write reads the row it may replace under a lock (PostgreSQL), so two merges cannot both read the old one.
    return session.scalar(query.with_for_update() if lock else query)


def _many(
    app_pk: int,
    kind: str,
    *,
    scope: str | None,
    agent_key: str | None,
    activity_id: str | None,
) -> Select[XapiDocument]:
    query = select(XapiDocument).where(XapiDocument.app_pk == app_pk, XapiDocument.kind == kind)
    if scope is not None:
        return query.where(XapiDocument.scope == scope)
    # The states of an activity and agent in every registration: the agent's index, then the activity.
    return query.where(XapiDocument.agent_key == agent_key, XapiDocument.activity_id == activity_id)


def list_ids(
    session: Session,
    app_pk: int,
    kind: str,
    *,
    scope: str | None = None,
    agent_key: str | None = None,
    activity_id: str | None = None,
    since: datetime | None = None,
) -> list[str]:
    query = _many(app_pk, kind, scope=scope, agent_key=agent_key, activity_id=activity_id)
    if since is not None:
        query = query.where(XapiDocument.updated > since)
    rows: Sequence[str] = session.scalars(
        query.with_only_columns(XapiDocument.document_id).distinct().order_by(XapiDocument.document_id)
    ).all()
    return list(rows)


def delete_many(
    session: Session,
    app_pk: int,
    kind: str,
    *,
    scope: str | None = None,
    agent_key: str | None = None,
    activity_id: str | None = None,
) -> None:
    pks = _many(app_pk, kind, scope=scope, agent_key=agent_key, activity_id=activity_id).with_only_columns(
        XapiDocument.pk
    )
    session.execute(delete(XapiDocument).where(XapiDocument.pk.in_(pks)))


def add(session: Session, document: XapiDocument) -> bool:
    """Insert a new document; False when a concurrent request inserted the same one first."""
    try:
        with session.begin_nested():
            session.add(document)
    except IntegrityError:
        return False
    return True


def remove(session: Session, document: XapiDocument) -> None:
    session.delete(document)
    session.flush()
