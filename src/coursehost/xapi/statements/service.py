"""Storing and reading statements: the Statement Resource's logic and the function the rest of coursehost calls to
record statements (``store_statements``). No SQL here (``repository.py``) and no HTTP (``endpoints.py``).

Storing is all or nothing: every statement of a request is validated, its attachments matched and its id checked
before the first row is written, and the request's one transaction holds them all.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from coursehost.context import Context
from coursehost.kit.errors import BadRequest, Conflict, Forbidden, NotFound
from coursehost.models import XapiStatement
from coursehost.models.base import utcnow
from coursehost.xapi import formats
from coursehost.xapi.agents import agent_key
from coursehost.xapi.links.service import link_statements
from coursehost.xapi.principal import LrsPrincipal
from coursehost.xapi.statements import activities, attachments
from coursehost.xapi.statements import repository as repo
from coursehost.xapi.statements.shaping import same_statement
from coursehost.xapi.statements.validation import VOIDED, check_statement
from coursehost.xapi.versions import XapiVersion

MAX_PAGE = 200


@dataclass
class Page:
    rows: list[XapiStatement]
    more: str | None = None
    consistent_through: datetime | None = None


@dataclass
class _Prepared:
    statement: dict[str, Any]
    agents: set[tuple[str, bool]] = field(default_factory=set)
    activities: set[tuple[str, bool]] = field(default_factory=set)


def store_statements(
    session: Session,
    ctx: Context,
    principal: LrsPrincipal,
    statements: list[Any],
    *,
    version: XapiVersion = XapiVersion.V2,
    parts: Mapping[str, attachments.Part] | None = None,
    statement_id: str | None = None,
) -> list[str]:
    """Validate and store ``statements`` as ``principal``; return their ids in order. ``parts`` are the request's
    attachment parts by SHA-2; ``statement_id`` is PUT's parameter. Raises a 4xx ``CoursehostError``."""
    if not principal.may_write:
        raise Forbidden("This credential may not write statements (READONLY)")
    if not statements:
        raise BadRequest("Invalid request: no statements were sent")
    for index, statement in enumerate(statements):
        try:
            check_statement(statement, version)
        except BadRequest as exc:
            raise BadRequest(
                exc.message.replace("statement", f"statement[{index}]", 1) if index else exc.message
            ) from None
    if statement_id is not None:
        _claim_put_id(statements[0], statement_id)
    ids = [_id_of(st) for st in statements]
    if len(set(ids)) != len(ids):
        raise BadRequest("Invalid request: two statements of the batch have the same id")
    _check_launch_scope(principal, statements)
    attachments.check_parts(statements, parts or {})
    existing = repo.by_ids(session, principal.app_pk, ids)
    fresh = []
    for st, sid in zip(statements, ids, strict=True):
        row = existing.get(sid)
        if row is None:
            fresh.append(st)
        elif not same_statement(json.loads(row.body), st):
            raise Conflict(f"A different statement with the id {sid} is already stored")
    _check_voiding(session, principal, fresh)
    stored = utcnow()
    new_rows = [_row(principal, st, stored, version) for st in fresh]
    # In a savepoint, so that a batch refused for a race leaves nothing in the caller's transaction (the player
    # catches the 409 of a statement it delivered twice and goes on).
    savepoint = session.begin_nested()
    pks = repo.insert_statements(session, new_rows, [_agents(st) for st in fresh], [_activities(st) for st in fresh])
    for new in new_rows:
        if new["statement_id"] not in pks:
            savepoint.rollback()
            raise Conflict(f"A statement with the id {new['statement_id']} was stored meanwhile by another request")
    savepoint.commit()
    repo.mark_voided(session, principal.app_pk, [st["object"]["id"].lower() for st in fresh if _voids(st)])
    activities.merge_definitions(session, principal.app_pk, fresh, stored)
    attachments.save_parts(session, ctx, principal.app_pk, fresh, parts or {})
    link_statements(
        session,
        app_pk=principal.app_pk,
        stored=stored,
        statements=[(pks[new["statement_id"]], st) for new, st in zip(new_rows, fresh, strict=True)],
        launch_version_pk=_launch_version(session, principal),
    )
    return [st["id"] for st in statements]


def _launch_version(session: Session, principal: LrsPrincipal) -> int | None:
    """The course version a launch's statements come from: its player session's (gone once the session ended, when
    the statements still reach the version through their activities)."""
    if principal.launch is None:
        return None
    return repo.player_session_version(session, principal.launch.session_id)


def _id_of(statement: dict[str, Any]) -> str:
    if "id" not in statement:
        statement["id"] = str(uuid.uuid4())
    sid: str = statement["id"].lower()
    return sid


def _claim_put_id(statement: dict[str, Any], statement_id: str) -> None:
    if not formats.is_uuid(statement_id):
        raise BadRequest(f"Invalid request: statementId {statement_id!r} is not a UUID")
    if "id" in statement and statement["id"].lower() != statement_id.lower():
        raise BadRequest("Invalid request: the statement's id differs from the statementId parameter")
    statement.setdefault("id", statement_id)


def _voids(statement: dict[str, Any]) -> bool:
    return bool(statement["verb"]["id"] == VOIDED)


def _check_launch_scope(principal: LrsPrincipal, statements: list[dict[str, Any]]) -> None:
    launch = principal.launch
    if launch is None:
        return
    actor = agent_key(launch.actor)
    for st in statements:
        if agent_key(st["actor"]) != actor:
            raise Forbidden("A launch may only write statements whose actor is the launch's learner")
        if st.get("context", {}).get("registration", "").lower() != launch.registration.lower():
            raise Forbidden("A launch may only write statements with the launch's registration")
        if _voids(st):
            raise Forbidden("A launch may not void statements")


def _check_voiding(session: Session, principal: LrsPrincipal, statements: list[dict[str, Any]]) -> None:
    targets = [st["object"]["id"].lower() for st in statements if _voids(st)]
    if not targets:
        return
    found = repo.by_ids(session, principal.app_pk, targets)
    batch = {st["id"].lower(): st for st in statements}
    for target in targets:
        row = found.get(target)
        verb = row.verb_id if row is not None else batch.get(target, {}).get("verb", {}).get("id")
        if verb == VOIDED:  # xAPI 2.0.0 §4.2.5, 1.0.3 Data 2.3.2: a voiding statement cannot be voided
            raise BadRequest(f"Invalid request: statement {target} is a voiding statement and cannot be voided")


def _row(principal: LrsPrincipal, st: dict[str, Any], stored: datetime, version: XapiVersion) -> dict[str, Any]:
    """Complete ``st`` as the LRS stores it (stored, timestamp, authority, version) and give its row's columns."""
    _arrays_of_context_activities(st)
    st["stored"] = formats.format_timestamp(stored)
    st.setdefault("timestamp", st["stored"])
    st["authority"] = principal.authority
    st.setdefault("version", "1.0.0" if version is XapiVersion.V1 else "2.0.0")
    target = st["object"]
    kind = target.get("objectType", "Activity")
    context = st.get("context", {})
    return {
        "app_pk": principal.app_pk,
        "statement_id": st["id"].lower(),
        "stored": stored,
        "timestamp": formats.parse_timestamp(st["timestamp"]) or stored,
        "verb_id": st["verb"]["id"],
        "registration": context.get("registration", "").lower() or None,
        "voided": False,
        "voids": target["id"].lower() if _voids(st) else None,
        "refers_to": target["id"].lower() if kind == "StatementRef" else None,
        "credential_pk": principal.credential_pk,
        "launch_id": principal.launch.session_id if principal.launch else None,
        "attachments": [a["sha2"].lower() for a in st.get("attachments", [])],
        "body": json.dumps(st, ensure_ascii=False, separators=(",", ":")),
    }


def _arrays_of_context_activities(st: dict[str, Any]) -> None:
    """A single context activity is stored (and answered) as an array of one (xAPI 2.0.0 §4.2.2.5, XAPI-00096)."""
    for holder in (st, st["object"]):
        activities = holder.get("context", {}).get("contextActivities", {})
        for key, value in activities.items():
            if not isinstance(value, list):
                activities[key] = [value]


def _actor_keys(actor: Any) -> set[str]:
    if not isinstance(actor, dict):
        return set()
    keys = {k for k in [agent_key(actor)] if k is not None}
    for member in actor.get("member", []) if actor.get("objectType") == "Group" else []:
        keys |= _actor_keys(member)
    return keys


def _agents(st: dict[str, Any], direct: bool = True) -> set[tuple[str, bool]]:
    found = {(k, direct) for k in _actor_keys(st["actor"])}
    target = st["object"]
    if target.get("objectType") in ("Agent", "Group"):
        found |= {(k, direct) for k in _actor_keys(target)}
    if target.get("objectType") == "SubStatement":
        found |= _agents(target, direct=False)
    related = [st.get("authority")]
    context = st.get("context", {})
    related += [context.get("instructor"), context.get("team")]
    related += [item.get("agent") for item in context.get("contextAgents", [])]
    related += [item.get("group") for item in context.get("contextGroups", [])]
    for actor in related:
        found |= {(k, False) for k in _actor_keys(actor)}
    return found


def _context_activities(context: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for value in context.get("contextActivities", {}).values():
        for activity in value if isinstance(value, list) else [value]:
            found.append((activity["id"], activity))
    return found


def _activities(st: dict[str, Any], direct: bool = True) -> set[tuple[str, bool]]:
    target = st["object"]
    found: set[tuple[str, bool]] = set()
    if target.get("objectType", "Activity") == "Activity":
        found.add((target["id"], direct))
    if target.get("objectType") == "SubStatement":
        found |= _activities(target, direct=False)
    found |= {(a, False) for a, _ in _context_activities(st.get("context", {}))}
    return found


# --- reading ---


def _check_reader(principal: LrsPrincipal) -> None:
    if not principal.may_read:
        raise Forbidden("This credential may not read statements (WRITEONLY)")


def _visible(principal: LrsPrincipal, row: XapiStatement) -> bool:
    if principal.launch is not None:
        return row.launch_id == principal.launch.session_id
    if principal.reads_only_its_own:
        return row.credential_pk == principal.credential_pk
    return True


def get_statement(session: Session, principal: LrsPrincipal, statement_id: str, *, voided: bool) -> XapiStatement:
    """GET by statementId (a statement that is not voided) or voidedStatementId (one that is)."""
    _check_reader(principal)
    name = "voidedStatementId" if voided else "statementId"
    if not formats.is_uuid(statement_id):
        raise BadRequest(f"Invalid request: {name} {statement_id!r} is not a UUID")
    row = repo.by_ids(session, principal.app_pk, [statement_id.lower()]).get(statement_id.lower())
    if row is None or row.voided != voided or not _visible(principal, row):
        raise NotFound(f"No {'voided ' if voided else ''}statement with the id {statement_id}")
    return row


def query_statements(session: Session, principal: LrsPrincipal, filters: repo.Filters, limit: int) -> Page:
    _check_reader(principal)
    if principal.launch is not None:
        filters = _restricted(filters, launch_id=principal.launch.session_id)
    elif principal.reads_only_its_own:
        filters = _restricted(filters, credential_pk=principal.credential_pk)
    consistent = utcnow()
    size = MAX_PAGE if limit <= 0 else min(limit, MAX_PAGE)
    rows = repo.query(session, filters, size)
    more = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        more = encode_cursor(repo.aware(last.stored), last.pk)
    return Page(rows, more, consistent)


def _restricted(filters: repo.Filters, **restriction: Any) -> repo.Filters:
    return replace(filters, restricted=True, **restriction)


def encode_cursor(stored: datetime, pk: int) -> str:
    return f"{int(stored.timestamp() * 1000)}.{pk}"


def decode_cursor(token: str) -> tuple[datetime, int]:
    millis, _, pk = token.partition(".")
    if not (millis.isdigit() and pk.isdigit()):
        raise BadRequest("Invalid request: the more link is not one this LRS gave")
    return datetime.fromtimestamp(int(millis) / 1000, UTC), int(pk)


def activity_object(session: Session, principal: LrsPrincipal, activity_id: str) -> dict[str, Any]:
    """GET /activities: the activity with its canonical definition as merged from the statements that define it."""
    _check_reader(principal)
    if not formats.is_iri(activity_id):
        raise BadRequest(f"Invalid request: activityId {activity_id!r} is not an IRI")
    row = repo.activity(session, principal.app_pk, activity_id)
    answer: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    if row is not None and row.definition:
        answer["definition"] = row.definition
    return answer
