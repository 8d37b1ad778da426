"""The player's run-time data as xAPI statements (ADL's xAPI SCORM Profile, ``xapi/scorm/``), and the one place they
leave the player: :func:`emit`.

Every preview of a SCORM 1.2, SCORM 2004 or AICC course reports as the application's preview actor with the player
session's registration (``xapi/launch.py``), written by the player's own principal. A snapshot's statements are
worked out against the snapshot it replaces, inside the transaction that stores it, and emitted only when it was
stored: a replayed or late delivery is not stored and produces nothing (and its ids would be the same anyway).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from coursehost.context import Context
from coursehost.courses.activity_ids import course_activity_iri, sco_activity_iri
from coursehost.kit.errors import Conflict, CoursehostError
from coursehost.models import Application, Course, CourseVersion, PlayerSession, utcnow
from coursehost.player import repository as repo
from coursehost.xapi.launch import player_principal, preview_actor, session_registration
from coursehost.xapi.principal import LrsPrincipal
from coursehost.xapi.scorm import mapping
from coursehost.xapi.scorm.vocabulary import Sco
from coursehost.xapi.statements.service import store_statements

log = logging.getLogger(__name__)
STANDARDS = ("scorm12", "scorm2004", "aicc")
ATTEMPT = repo.SERVER_KEYS[0]


def emit(session: Session, ctx: Context, principal: LrsPrincipal, statements: list[dict[str, Any]]) -> None:
    """Record the statements the player produced in the application's LRS, as ``principal``, in the caller's
    transaction. One at a time: a statement already stored (its id is derived from the snapshot, so a replayed or
    racing delivery derives it again) is skipped without losing the others, and a statement the LRS refuses is
    logged, never a reason to lose the learner's run-time data."""
    for statement in statements:
        try:
            store_statements(session, ctx, principal, [statement])
        except Conflict:
            continue
        except CoursehostError as exc:
            log.warning("the LRS refused a statement of the player: %s", exc.message)


@dataclass
class Prepared:
    """A snapshot ready to store (with the attempt it belongs to) and the statements its storing produces."""

    data: dict[str, Any]
    statements: list[dict[str, Any]] = field(default_factory=list)


def timestamp() -> str:
    return utcnow().isoformat(timespec="milliseconds").replace("+00:00", "Z")


def sco_of(session: Session, ctx: Context, row: PlayerSession, activity: int) -> Sco:
    version = session.get(CourseVersion, row.version_pk)
    app = session.get(Application, row.app_pk)
    if version is None or app is None:  # pragma: no cover - the session's rows cascade with them
        raise LookupError("player session without its version")
    course_iri = version.xapi_activity_id
    if not course_iri:
        course = session.get(Course, version.course_pk)
        course_iri = course_activity_iri(app.app_id, course.course_id if course else "", None)
    node = row.plan["nodes"][activity]
    public_url = ctx.settings.resolved_public_url
    return Sco(
        session_id=row.id,
        activity=activity,
        actor=preview_actor(public_url, app.app_id),
        registration=session_registration(row.id),
        course_iri=course_iri,
        course_title=str(row.plan.get("title") or ""),
        sco_iri=sco_activity_iri(course_iri, str(node.get("id") or activity)),
        sco_title=str(node.get("title") or ""),
    )


def prepare(
    session: Session, ctx: Context, row: PlayerSession, activity: int, previous: dict[str, Any] | None, new: Any
) -> Prepared:
    """``new`` as it is to be stored, and its statements, ``previous`` being the stored data it replaces."""
    data = {key: value for key, value in new.items() if key not in repo.SERVER_KEYS}
    standard = row.plan.get("standard")
    if standard not in STANDARDS:
        return Prepared(data)
    attempt = previous.get(ATTEMPT) if previous is not None else None
    try:
        outcome = mapping.changes(
            sco_of(session, ctx, row, activity),
            standard,
            previous,
            data,
            attempt if isinstance(attempt, str) else None,
            timestamp(),
        )
    except Exception:  # a mapping fault must never cost the learner's run-time data: it is logged, not raised
        log.exception("xAPI statements of player session %s activity %s could not be made", row.id, activity)
        return Prepared(data)
    return Prepared({**data, ATTEMPT: outcome.attempt}, outcome.statements)


def report(session: Session, ctx: Context, row: PlayerSession, statements: list[dict[str, Any]]) -> None:
    if not statements:
        return
    app = session.get(Application, row.app_pk)
    if app is None:  # pragma: no cover - the session cascades with its application
        return
    emit(session, ctx, player_principal(app.pk, app.app_id, ctx.settings.resolved_public_url), statements)


def at_exit(session: Session, ctx: Context, row: PlayerSession) -> None:
    """The learner left the preview: SCO sessions still open end with it (terminated, or suspended after a suspend
    exit), as their unload snapshot would have said had it arrived first."""
    standard = row.plan.get("standard")
    if standard not in STANDARDS:
        return
    produced: list[dict[str, Any]] = []
    for activity, data in sorted(repo.stored_snapshots(session, row.id).items()):
        if not (0 <= activity < len(row.plan["nodes"])):
            continue
        attempt = data.get(ATTEMPT)
        sco = sco_of(session, ctx, row, activity)
        stamp = timestamp()
        produced += mapping.ending(sco, standard, data, attempt if isinstance(attempt, str) else None, stamp)
    report(session, ctx, row, produced)
