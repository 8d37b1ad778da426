"""All SQL about player sessions and their run-time snapshots."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from coursehost.models import PlayerRuntime, PlayerSession

# What the server keeps with a snapshot for itself (the xAPI attempt it belongs to, player/statements.py): never
# handed back to the browser, and always set by the server, whatever a posted snapshot holds.
SERVER_KEYS = ("xapiAttempt",)


def _public(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in SERVER_KEYS}


def add_session(session: Session, row: PlayerSession) -> None:
    session.add(row)


def get_session(session: Session, session_id: str) -> PlayerSession | None:
    return session.get(PlayerSession, session_id)


def session_times(session: Session, session_id: str) -> tuple[int, int, datetime, datetime, datetime] | None:
    """(application pk, version pk, created, seen, expires) of a session: what serving its files needs."""
    row = session.execute(
        select(
            PlayerSession.app_pk, PlayerSession.version_pk, PlayerSession.created, PlayerSession.seen,
            PlayerSession.expires,
        ).where(PlayerSession.id == session_id)
    ).first()  # fmt: skip
    return (row[0], row[1], row[2], row[3], row[4]) if row is not None else None


def touch(session: Session, session_id: str, seen: datetime, expires: datetime) -> bool:
    """Slide the session's expiry; False when the session is gone."""
    stmt = update(PlayerSession).where(PlayerSession.id == session_id).values(seen=seen, expires=expires)
    return bool(session.execute(stmt).rowcount)  # type: ignore[attr-defined]


def delete_session(session: Session, session_id: str) -> None:
    # Run-time rows go with it (ON DELETE CASCADE on both databases).
    session.execute(delete(PlayerSession).where(PlayerSession.id == session_id))


def purge_expired(session: Session, now: datetime) -> None:
    session.execute(delete(PlayerSession).where(PlayerSession.expires < now))


def snapshots(session: Session, session_id: str) -> dict[int, dict[str, Any]]:
    stmt = select(PlayerRuntime.activity, PlayerRuntime.data).where(PlayerRuntime.session_id == session_id)
    return {row.activity: _public(row.data) for row in session.execute(stmt)}


def snapshot(session: Session, session_id: str, activity: int) -> dict[str, Any] | None:
    row = session.get(PlayerRuntime, (session_id, activity))
    return _public(row.data) if row is not None else None


def stored_snapshot(session: Session, session_id: str, activity: int) -> tuple[int, dict[str, Any]] | None:
    """The stored sequence and data, the server's keys included, locked (PostgreSQL) until the transaction ends, so
    two deliveries for one activity compare themselves with the snapshot each replaces in turn."""
    stmt = (
        select(PlayerRuntime.sequence, PlayerRuntime.data)
        .where(PlayerRuntime.session_id == session_id, PlayerRuntime.activity == activity)
        .with_for_update()
    )
    row = session.execute(stmt).first()
    return (row.sequence, row.data) if row is not None else None


def stored_snapshots(session: Session, session_id: str) -> dict[int, dict[str, Any]]:
    stmt = select(PlayerRuntime.activity, PlayerRuntime.data).where(PlayerRuntime.session_id == session_id)
    return {row.activity: row.data for row in session.execute(stmt)}


def store_snapshot(
    session: Session, session_id: str, activity: int, sequence: int, data: dict[str, Any], now: datetime
) -> bool:
    """Keep ``data`` unless a snapshot with the same or a higher sequence is already stored; True if it was kept.

    One conditional upsert, so concurrent deliveries (a commit racing a page-unload beacon) settle on the newest.
    """
    insert: Any = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(PlayerRuntime).values(
        session_id=session_id, activity=activity, sequence=sequence, data=data, updated=now
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["session_id", "activity"],
        set_={"sequence": stmt.excluded.sequence, "data": stmt.excluded.data, "updated": stmt.excluded.updated},
        where=PlayerRuntime.sequence < stmt.excluded.sequence,
    )
    # RETURNING rather than rowcount: psycopg reports -1 for a conflict the WHERE clause skipped.
    return session.execute(stmt.returning(PlayerRuntime.sequence)).first() is not None
