"""Where the cmi5 LMS meets the LRS: the ``LMS.LaunchData`` document it writes, the statements it records, and the
check of an AU's statements. Three seams for the merge of issue 12 (docs/xapi.md, "Launches"):

- ``write_launch_data`` writes the state document as an ``XapiDocument`` row itself, with ``document_scope``
  computing the row's ``scope``; the documents resource (xapi/documents/) should own both.
- ``emit`` is where the LMS's statements go: the statement store's ``store_statements`` (xapi/statements/).
- ``check_and_advance`` is what the statement store calls, for a launch principal (``principal.launch``), before
  it stores an AU's statements: it raises ``Forbidden`` with the cmi5 reason, and returns the ``satisfied``
  statements the accepted ones earn, for the store to record after them.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coursehost.kit.errors import Forbidden
from coursehost.models import PlayerSession, XapiDocument, XapiLaunchToken, utcnow
from coursehost.xapi import launch_tokens
from coursehost.xapi.agents import agent_key
from coursehost.xapi.cmi5 import rules
from coursehost.xapi.cmi5.statements import LAUNCH_DATA_ID, AuLaunch, satisfied
from coursehost.xapi.principal import LrsPrincipal

log = logging.getLogger("coursehost.xapi.cmi5")


def document_scope(activity_id: str, agent: str, registration: str | None) -> str:
    """The ``scope`` of a state document (models/xapi_documents.py): the SHA-256 of its activity id, agent key and
    (lower-cased) registration joined by NUL, as the documents resource's ``Owner.scope`` computes it. SEAM: at the
    merge, ``write_launch_data`` becomes a call of ``xapi.documents.service.put_state``."""
    parts = [activity_id, agent, (registration or "").lower()]
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def write_launch_data(
    session: Session, app_pk: int, activity_id: str, actor: dict[str, Any], registration: str, document: dict[str, Any]
) -> None:
    """Create or replace the ``LMS.LaunchData`` state document (cmi5 §10.1) before the AU starts."""
    key = agent_key(actor) or ""
    scope = document_scope(activity_id, key, registration)
    content = json.dumps(document, separators=(",", ":")).encode()
    etag = hashlib.sha1(content).hexdigest()  # noqa: S324 - xAPI names SHA-1 for document ETags
    row = session.scalar(
        select(XapiDocument).where(
            XapiDocument.app_pk == app_pk,
            XapiDocument.kind == "state",
            XapiDocument.scope == scope,
            XapiDocument.document_id == LAUNCH_DATA_ID,
        )
    )
    if row is None:
        row = XapiDocument(
            app_pk=app_pk,
            kind="state",
            scope=scope,
            activity_id=activity_id,
            agent_key=key,
            registration=registration,
            document_id=LAUNCH_DATA_ID,
        )
        session.add(row)
    row.content_type, row.content, row.etag, row.updated = "application/json", content, etag, utcnow()
    session.flush()


def emit(session: Session, principal: LrsPrincipal, statements: Sequence[dict[str, Any]]) -> list[str]:
    """Record the LMS's own statements (launched, satisfied, abandoned) as ``principal`` (the player's, at ROOT).

    SEAM: until the statement store is merged this only logs them; the lead replaces the body with
    ``store_statements(session, ctx, principal, statements)``."""
    for statement in statements:
        log.info("cmi5 LMS statement %s", json.dumps(statement, sort_keys=True))
    return [str(statement["id"]) for statement in statements]


def check_and_advance(
    session: Session, principal: LrsPrincipal, statements: Sequence[dict[str, Any]], now: datetime | None = None
) -> list[dict[str, Any]]:
    """The statement store's hook for statements posted with a cmi5 launch's credential: refuses the batch (403)
    when one breaks a cmi5 rule, otherwise moves the AU session's state on and returns the ``satisfied``
    statements the LMS must record after them (cmi5 §9.3.9). Tin Can launches have no rules (no state)."""
    scope = principal.launch
    if scope is None or scope.launch_pk is None:
        return []
    row = session.get(XapiLaunchToken, scope.launch_pk)
    if row is None or row.au_session is None:
        return []
    stamp = (now or utcnow()).isoformat()
    state = dict(row.state)
    for statement in statements:
        reason = rules.check_au_statement(statement, state)
        if reason is not None:
            raise Forbidden(reason)
        state = rules.advance(state, statement, stamp)
    before = satisfied_in(session, row.session_id)
    launch_tokens.set_state(session, row, state)
    return satisfied_statements(session, row, before, now or utcnow())


def satisfied_in(session: Session, session_id: str) -> set[int]:
    """The blocks and course satisfied in a player session's registration, from its launches' states."""
    player = session.get(PlayerSession, session_id)
    if player is None:
        return set()
    nodes = player.plan["nodes"]
    return set(rules.satisfied_nodes(nodes, met_aus(nodes, launch_tokens.launches(session, session_id))))


def met_aus(nodes: list[dict[str, Any]], launches: Sequence[XapiLaunchToken]) -> set[int]:
    """AUs whose moveOn is met: NotApplicable ones always (cmi5 §9.6.1.1-3), the others by their statements."""
    facts: dict[int, dict[str, bool]] = {}
    for launch in launches:
        got = launch.state.get("registrationFacts") or {}
        mine = facts.setdefault(launch.node, {"completed": False, "passed": False})
        mine["completed"] |= bool(got.get("completed"))
        mine["passed"] |= bool(got.get("passed"))
    met = set()
    for index, node in enumerate(nodes):
        if not node["href"]:
            continue
        fact = facts.get(index, {"completed": False, "passed": False})
        if rules.move_on_met(node.get("data", {}).get("moveOn", "NotApplicable"), fact["completed"], fact["passed"]):
            met.add(index)
    return met


def satisfied_statements(
    session: Session, row: XapiLaunchToken, before: set[int], now: datetime
) -> list[dict[str, Any]]:
    player = session.get(PlayerSession, row.session_id)
    if player is None:
        return []
    nodes = player.plan["nodes"]
    after = rules.satisfied_nodes(nodes, met_aus(nodes, launch_tokens.launches(session, row.session_id)))
    launch = au_launch(row)
    return [
        satisfied(launch, nodes[index]["xapiId"], nodes[index]["iri"], nodes[index]["parent"] < 0, now)
        for index in after
        if index not in before
    ]


def au_launch(row: XapiLaunchToken) -> AuLaunch:
    state = row.state
    return AuLaunch(
        actor=dict(row.actor),
        registration=row.registration,
        session_id=row.au_session or "",
        activity_id=row.activity_id,
        publisher_id=state.get("publisherId", ""),
        move_on=state.get("moveOn", "NotApplicable"),
        mastery_score=state.get("masteryScore"),
        launch_mode=state.get("launchMode", "Normal"),
    )
