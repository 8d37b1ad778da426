"""All SQL of the Statement Resource and the Activities Resource."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from coursehost.models import (
    PlayerSession,
    XapiActivity,
    XapiAttachment,
    XapiStatement,
    XapiStatementActivity,
    XapiStatementAgent,
)


def aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes, PostgreSQL ones in the session's time zone; every time stored here is UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class Filters:
    """GET /statements' filters, the reader's restriction and the page's position."""

    app_pk: int
    agent: str | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: datetime | None = None
    until: datetime | None = None
    ascending: bool = False
    credential_pk: int | None = None
    launch_id: str | None = None
    restricted: bool = False
    after: tuple[datetime, int] | None = None


def by_ids(session: Session, app_pk: int, ids: Iterable[str]) -> dict[str, XapiStatement]:
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = session.scalars(
        select(XapiStatement).where(XapiStatement.app_pk == app_pk, XapiStatement.statement_id.in_(wanted))
    )
    return {row.statement_id: row for row in rows}


def _inserted(session: Session, row: object) -> bool:
    """Insert ``row`` in a savepoint; False when a concurrent writer inserted the same key first."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def insert(
    session: Session, row: XapiStatement, agents: set[tuple[str, bool]], activities: set[tuple[str, bool]]
) -> int | None:
    """The new row's pk, or None when a statement with its id was stored meanwhile (by a concurrent request)."""
    if not _inserted(session, row):
        return None
    session.add_all(XapiStatementAgent(statement_pk=row.pk, agent_key=k, direct=d) for k, d in agents)
    session.add_all(XapiStatementActivity(statement_pk=row.pk, activity_id=a, direct=d) for a, d in activities)
    return row.pk


def mark_voided(session: Session, app_pk: int, statement_ids: Sequence[str]) -> None:
    if statement_ids:
        session.execute(
            update(XapiStatement)
            .where(XapiStatement.app_pk == app_pk, XapiStatement.statement_id.in_(list(statement_ids)))
            .values(voided=True)
        )


def _matches(s: type[XapiStatement], f: Filters) -> list[ColumnElement[bool]]:
    """The conditions a statement itself (or the one it refers to) must meet: agent, verb, activity, registration."""
    conditions: list[ColumnElement[bool]] = []
    if f.verb is not None:
        conditions.append(s.verb_id == f.verb)
    if f.registration is not None:
        conditions.append(s.registration == f.registration)
    if f.agent is not None:
        agent = aliased(XapiStatementAgent)
        direct = [] if f.related_agents else [agent.direct.is_(True)]
        conditions.append(exists().where(agent.statement_pk == s.pk, agent.agent_key == f.agent, *direct))
    if f.activity is not None:
        activity = aliased(XapiStatementActivity)
        direct = [] if f.related_activities else [activity.direct.is_(True)]
        conditions.append(exists().where(activity.statement_pk == s.pk, activity.activity_id == f.activity, *direct))
    return conditions


def query(session: Session, f: Filters, limit: int) -> list[XapiStatement]:
    """A page of the non-voided statements matching ``f``, in stored order, ``limit + 1`` rows at most (the extra one
    says whether there is a next page)."""
    s = XapiStatement
    where: list[ColumnElement[bool]] = [s.app_pk == f.app_pk, s.voided.is_(False)]
    own = _matches(s, f)
    if own:
        # xAPI 2.0.0 §4.1.6.1: a statement referring to a matching statement (StatementRef) matches too.
        target = aliased(XapiStatement)
        referred = select(target.statement_id).where(target.app_pk == f.app_pk, *_matches(target, f))
        where.append(or_(and_(*own), s.refers_to.in_(referred)))
    if f.since is not None:
        where.append(s.stored > f.since)
    if f.until is not None:
        where.append(s.stored <= f.until)
    if f.restricted:
        where.append(s.launch_id == f.launch_id if f.launch_id is not None else s.credential_pk == f.credential_pk)
    if f.after is not None:
        stored, pk = f.after
        if f.ascending:
            where.append(or_(s.stored > stored, and_(s.stored == stored, s.pk > pk)))
        else:
            where.append(or_(s.stored < stored, and_(s.stored == stored, s.pk < pk)))
    order = (s.stored.asc(), s.pk.asc()) if f.ascending else (s.stored.desc(), s.pk.desc())
    return list(session.scalars(select(s).where(*where).order_by(*order).limit(limit + 1)))


def latest_stored(session: Session, app_pk: int) -> datetime | None:
    moment = session.scalar(
        select(XapiStatement.stored)
        .where(XapiStatement.app_pk == app_pk)
        .order_by(XapiStatement.stored.desc())
        .limit(1)
    )
    return aware(moment) if moment is not None else None


def activity(session: Session, app_pk: int, activity_id: str) -> XapiActivity | None:
    return session.get(XapiActivity, (app_pk, activity_id))


def lock_activity(session: Session, app_pk: int, activity_id: str) -> XapiActivity | None:
    return session.scalar(
        select(XapiActivity)
        .where(XapiActivity.app_pk == app_pk, XapiActivity.activity_id == activity_id)
        .with_for_update()
    )


def insert_activity(session: Session, app_pk: int, activity_id: str, definition: dict[str, Any], now: datetime) -> bool:
    """False when a concurrent writer defined the activity first (then lock and merge into its row)."""
    return _inserted(session, XapiActivity(app_pk=app_pk, activity_id=activity_id, definition=definition, updated=now))


def attachment(session: Session, app_pk: int, sha2: str) -> XapiAttachment | None:
    return session.get(XapiAttachment, (app_pk, sha2))


def add_attachment(session: Session, app_pk: int, sha2: str, content_type: str, length: int) -> None:
    if attachment(session, app_pk, sha2) is None:  # a concurrent writer of the same bytes is as good
        _inserted(session, XapiAttachment(app_pk=app_pk, sha2=sha2, content_type=content_type, length=length))


def player_session_version(session: Session, session_id: str) -> int | None:
    """The course version a player session plays, while the session lasts."""
    version: int | None = session.scalar(select(PlayerSession.version_pk).where(PlayerSession.id == session_id))
    return version
