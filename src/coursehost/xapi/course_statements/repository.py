"""All SQL of the course statement reads: one keyset page over the links, with the statements' bodies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from coursehost.models import XapiStatement, XapiStatementLink


@dataclass(frozen=True)
class StatementQuery:
    learner: str | None = None  # a learner key (xapi.links.service.learner_id_key)
    since: datetime | None = None
    until: datetime | None = None


def page(
    session: Session,
    course_pk: int,
    version_pk: int | None,
    query: StatementQuery,
    after: tuple[datetime, int] | None,
    limit: int,
) -> list[XapiStatement]:
    """Statements linked to the version (or to any version of the course, each once), not voided, in (stored, pk)
    order strictly after ``after``. The inner query walks one of the links' indexes and reads only the pks; the
    bodies are read for the page alone."""
    link = XapiStatementLink
    conds = [link.version_pk == version_pk] if version_pk is not None else [link.course_pk == course_pk]
    if query.learner is not None:
        conds.append(link.learner == query.learner)
    if query.since is not None:
        conds.append(link.stored >= query.since)
    if query.until is not None:
        conds.append(link.stored <= query.until)
    if after is not None:
        stored, pk = after
        conds.append(or_(link.stored > stored, and_(link.stored == stored, link.statement_pk > pk)))
    inner = (
        select(link.stored, link.statement_pk)
        .join(XapiStatement, XapiStatement.pk == link.statement_pk)
        .where(*conds, XapiStatement.voided.is_(False))
        .order_by(link.stored, link.statement_pk)
        .limit(limit)
    )
    if version_pk is None:
        inner = inner.distinct()  # a statement linked to two versions of the course
    found = inner.subquery()
    stmt = (
        select(XapiStatement)
        .join(found, found.c.statement_pk == XapiStatement.pk)
        .order_by(found.c.stored, found.c.statement_pk)
    )
    return list(session.scalars(stmt))
