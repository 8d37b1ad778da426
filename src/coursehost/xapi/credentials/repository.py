"""All SQL of xAPI credentials."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from coursehost.models import XapiCredential


def find_enabled_credential(session: Session, app_pk: int, key: str, secret: str) -> XapiCredential | None:
    """The application's enabled credential with this key, if ``secret`` is its secret (compared in constant time)."""
    credential = find(session, app_pk, key)
    if credential is None or not credential.enabled:
        return None
    return credential if hmac.compare_digest(credential.secret.encode(), secret.encode()) else None


def find(session: Session, app_pk: int, credential_id: str) -> XapiCredential | None:
    return session.scalar(
        select(XapiCredential).where(XapiCredential.app_pk == app_pk, XapiCredential.credential_id == credential_id)
    )


def exists(session: Session, app_pk: int, credential_id: str) -> bool:
    return find(session, app_pk, credential_id) is not None


def remove(session: Session, app_pk: int, credential_id: str) -> bool:
    result = session.execute(
        delete(XapiCredential).where(XapiCredential.app_pk == app_pk, XapiCredential.credential_id == credential_id)
    )
    return bool(getattr(result, "rowcount", 0))


@dataclass(frozen=True)
class CredentialQuery:
    since: datetime | None = None
    until: datetime | None = None
    datetime_filter: str = "updated"
    filter: str | None = None
    filter_by: str = "credential_id"
    order_by: str = "created_desc"


def _sort_column(order_by: str) -> InstrumentedAttribute[Any]:
    field = order_by.rsplit("_", 1)[0]
    column: InstrumentedAttribute[Any] = {
        "created": XapiCredential.created,
        "updated": XapiCredential.updated,
        "name": XapiCredential.name,
    }[field]
    return column


def _conditions(app_pk: int, query: CredentialQuery) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [XapiCredential.app_pk == app_pk]
    column = XapiCredential.created if query.datetime_filter == "created" else XapiCredential.updated
    if query.since is not None:
        conds.append(column >= query.since)
    if query.until is not None:
        conds.append(column <= query.until)
    if query.filter:
        target = XapiCredential.name if query.filter_by == "credential_name" else XapiCredential.credential_id
        conds.append(func.lower(target).contains(query.filter.lower(), autoescape=True))
    return conds


def page(
    session: Session, app_pk: int, query: CredentialQuery, after: tuple[Any, int] | None, limit: int
) -> list[XapiCredential]:
    """One page in ``query.order_by`` order, strictly after the keyset position ``after`` (sort value, pk)."""
    column = _sort_column(query.order_by)
    descending = query.order_by.endswith("_desc")
    conds = _conditions(app_pk, query)
    if after is not None:
        value, pk = after
        if descending:
            conds.append(or_(column < value, and_(column == value, XapiCredential.pk < pk)))
        else:
            conds.append(or_(column > value, and_(column == value, XapiCredential.pk > pk)))
    order = (column.desc(), XapiCredential.pk.desc()) if descending else (column.asc(), XapiCredential.pk.asc())
    return list(session.scalars(select(XapiCredential).where(*conds).order_by(*order).limit(limit)))


def count(session: Session, app_pk: int, query: CredentialQuery) -> int:
    stmt = select(func.count()).select_from(XapiCredential).where(*_conditions(app_pk, query))
    return session.scalar(stmt) or 0


def insert(session: Session, credential: XapiCredential) -> bool:
    """Add the row in a savepoint; False when the application already has a credential with its id (a concurrent
    create of the same id), with the transaction still usable."""
    try:
        with session.begin_nested():
            session.add(credential)
            session.flush()
    except IntegrityError:
        return False
    return True
