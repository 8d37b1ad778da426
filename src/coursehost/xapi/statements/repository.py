"""All SQL of the Statement Resource and the Activities Resource."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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

# Ids per IN (...): SQLite allows 32,766 bound parameters in one statement.
IN_CHUNK = 500


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


def _insert_ignoring_conflicts(session: Session, model: type[Any], conflict: list[str]) -> Any:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    return insert(model).on_conflict_do_nothing(index_elements=conflict)


def insert_statements(
    session: Session,
    rows: Sequence[dict[str, Any]],
    agents: Sequence[set[tuple[str, bool]]],
    activities: Sequence[set[tuple[str, bool]]],
) -> dict[str, int]:
    """Insert statement rows (column values, each with its agents and activities) in a few round trips; return the
    pk of each by statement id. A statement a concurrent request stored meanwhile is left out (the caller answers
    409 and the transaction is rolled back)."""
    pks: dict[str, int] = {}
    if rows:
        # Parameters as a list: one statement compiled once and cached, sent as multi-row batches.
        stmt = _insert_ignoring_conflicts(session, XapiStatement, ["app_pk", "statement_id"])
        returned = session.execute(stmt.returning(XapiStatement.statement_id, XapiStatement.pk), list(rows))
        pks.update((statement_id, pk) for statement_id, pk in returned)
    agent_rows, activity_rows = [], []
    for row, its_agents, its_activities in zip(rows, agents, activities, strict=True):
        pk = pks.get(row["statement_id"])
        if pk is not None:
            agent_rows += [{"statement_pk": pk, "agent_key": k, "direct": d} for k, d in its_agents]
            activity_rows += [{"statement_pk": pk, "activity_id": a, "direct": d} for a, d in its_activities]
    if agent_rows:
        session.execute(insert(XapiStatementAgent), agent_rows)
    if activity_rows:
        session.execute(insert(XapiStatementActivity), activity_rows)
    return pks


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


def activities(session: Session, app_pk: int, activity_ids: Sequence[str]) -> dict[str, XapiActivity]:
    return _activities(session, app_pk, activity_ids, lock=False)


def lock_activities(session: Session, app_pk: int, activity_ids: Sequence[str]) -> dict[str, XapiActivity]:
    """The rows of these activities, locked (in id order, so two writers lock in the same order) and read afresh."""
    return _activities(session, app_pk, activity_ids, lock=True)


def _activities(session: Session, app_pk: int, activity_ids: Sequence[str], *, lock: bool) -> dict[str, XapiActivity]:
    found: dict[str, XapiActivity] = {}
    for start in range(0, len(activity_ids), IN_CHUNK):
        chunk = activity_ids[start : start + IN_CHUNK]
        stmt = select(XapiActivity).where(XapiActivity.app_pk == app_pk, XapiActivity.activity_id.in_(chunk))
        if lock:
            stmt = stmt.order_by(XapiActivity.activity_id).with_for_update().execution_options(populate_existing=True)
        found.update({row.activity_id: row for row in session.scalars(stmt)})
    return found


def insert_activities(session: Session, app_pk: int, definitions: dict[str, dict[str, Any]], now: datetime) -> set[str]:
    """Insert the activities' rows; return the ids inserted. One a concurrent writer defined first is left out: the
    caller locks its row and merges into it."""
    rows = [
        {"app_pk": app_pk, "activity_id": activity_id, "definition": definition, "updated": now}
        for activity_id, definition in sorted(definitions.items())
    ]
    if not rows:
        return set()
    stmt = _insert_ignoring_conflicts(session, XapiActivity, ["app_pk", "activity_id"])
    return set(session.scalars(stmt.returning(XapiActivity.activity_id), rows))


def attachment(session: Session, app_pk: int, sha2: str) -> XapiAttachment | None:
    return session.get(XapiAttachment, (app_pk, sha2))


def add_attachment(session: Session, app_pk: int, sha2: str, content_type: str, length: int) -> None:
    if attachment(session, app_pk, sha2) is None:  # a concurrent writer of the same bytes is as good
        _inserted(session, XapiAttachment(app_pk=app_pk, sha2=sha2, content_type=content_type, length=length))


def player_session_version(session: Session, session_id: str) -> int | None:
    """The course version a player session plays, while the session lasts."""
    version: int | None = session.scalar(select(PlayerSession.version_pk).where(PlayerSession.id == session_id))
    return version
