"""All SQL about player sessions and their run-time snapshots."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from coursehost.models import PlayerRuntime, PlayerSession


def add_session(session: Session, row: PlayerSession) -> None:
    session.add(row)


def get_session(session: Session, session_id: str) -> PlayerSession | None:
    return session.get(PlayerSession, session_id)


def touch(session: Session, session_id: str, seen: datetime, expires: datetime) -> None:
    session.execute(update(PlayerSession).where(PlayerSession.id == session_id).values(seen=seen, expires=expires))


def delete_session(session: Session, session_id: str) -> None:
    # Run-time rows go with it (ON DELETE CASCADE on both databases).
    session.execute(delete(PlayerSession).where(PlayerSession.id == session_id))


def purge_expired(session: Session, now: datetime) -> None:
    session.execute(delete(PlayerSession).where(PlayerSession.expires < now))


def snapshots(session: Session, session_id: str) -> dict[int, dict[str, Any]]:
    stmt = select(PlayerRuntime.activity, PlayerRuntime.data).where(PlayerRuntime.session_id == session_id)
    return {row.activity: row.data for row in session.execute(stmt)}


def snapshot(session: Session, session_id: str, activity: int) -> dict[str, Any] | None:
    row = session.get(PlayerRuntime, (session_id, activity))
    return row.data if row is not None else None


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
