"""All SQL about import jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from coursehost.models import Application, ImportJob

ACTIVE = ("queued", "running")


def get_job(session: Session, app_pk: int, job_id: str) -> ImportJob | None:
    return session.scalar(select(ImportJob).where(ImportJob.id == job_id, ImportJob.app_pk == app_pk))


def load_job(session: Session, job_id: str) -> tuple[ImportJob, str] | None:
    row = session.execute(
        select(ImportJob, Application.app_id)
        .join(Application, Application.pk == ImportJob.app_pk)
        .where(ImportJob.id == job_id)
    ).first()
    return (row[0], row[1]) if row else None


def job_exists(session: Session, job_id: str) -> bool:
    return session.scalar(select(ImportJob.id).where(ImportJob.id == job_id)) is not None


def finish(
    session: Session, job_id: str, state: str, message: str, finished: datetime, result: dict[str, Any] | None = None
) -> bool:
    """End the job (``complete`` with its result, or ``error``), its lease given back; False when the row is gone."""
    values: dict[str, Any] = {"state": state, "message": message, "finished": finished, "lease_until": None}
    if result is not None:
        values["result"] = result
    done = session.execute(
        update(ImportJob).where(ImportJob.id == job_id).values(**values).execution_options(synchronize_session=False)
    )
    return bool(done.rowcount)  # type: ignore[attr-defined]


def claimable(session: Session, now: datetime, limit: int) -> list[str]:
    stmt = (
        select(ImportJob.id)
        .where(or_(ImportJob.state == "queued", and_(ImportJob.state == "running", ImportJob.lease_until < now)))
        .order_by(ImportJob.created)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def claim(session: Session, job_id: str, now: datetime, lease_until: datetime) -> bool:
    """Take the job if nobody holds a live lease on it; the conditional UPDATE makes the claim atomic."""
    result = session.execute(
        update(ImportJob)
        .where(
            ImportJob.id == job_id,
            or_(ImportJob.state == "queued", and_(ImportJob.state == "running", ImportJob.lease_until < now)),
        )
        .values(state="running", lease_until=lease_until, attempts=ImportJob.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def extend_leases(session: Session, job_ids: list[str], lease_until: datetime) -> None:
    if job_ids:
        session.execute(
            update(ImportJob)
            .where(ImportJob.id.in_(job_ids), ImportJob.state == "running")
            .values(lease_until=lease_until)
            .execution_options(synchronize_session=False)
        )


def other_active_jobs(session: Session, app_pk: int, course_id: str, job_id: str) -> int:
    stmt = select(func.count()).where(
        ImportJob.app_pk == app_pk,
        ImportJob.course_id == course_id,
        ImportJob.id != job_id,
        ImportJob.state.in_(ACTIVE),
    )
    return session.scalar(stmt) or 0


def staged_uploads_in_use(session: Session, keys: list[str]) -> set[str]:
    """Those of these storage keys that a queued or running upload job will read."""
    used: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        stmt = select(ImportJob.source).where(
            ImportJob.source_kind == "upload", ImportJob.source.in_(chunk), ImportJob.state.in_(ACTIVE)
        )
        used.update(session.scalars(stmt))
    return used


def finished_job_ids(session: Session, job_ids: list[str]) -> set[str]:
    done: set[str] = set()
    for start in range(0, len(job_ids), 500):
        chunk = job_ids[start : start + 500]
        done.update(
            session.scalars(select(ImportJob.id).where(ImportJob.id.in_(chunk), ImportJob.state.not_in(ACTIVE)))
        )
    return done


def purge_finished_before(session: Session, cutoff: datetime) -> int:
    result = session.execute(delete(ImportJob).where(ImportJob.finished.is_not(None), ImportJob.finished < cutoff))
    return int(result.rowcount)  # type: ignore[attr-defined]
