"""Where the cmi5 LMS meets the LRS (docs/xapi.md, "Launches"):

- ``write_launch_data`` writes the ``LMS.LaunchData`` state document through the documents resource's service;
- ``emit`` records the LMS's own statements through the statement store;
- ``check_and_advance`` is what the Statement Resource calls for a launch principal (``principal.launch``) once an
  AU's statements are valid xAPI: it raises ``Forbidden`` with the cmi5 reason (the request's transaction is rolled
  back, so nothing of the batch stays), and returns the ``satisfied`` statements the accepted ones earn, which the
  LMS records after them;
- ``learner_preferences_read`` and ``check_learner_preferences_write`` are what the Agent Profile Resource calls
  when a launch's credential reads or writes its ``cmi5LearnerPreferences`` document (cmi5 §11).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from coursehost.context import Context
from coursehost.kit.errors import Forbidden
from coursehost.models import PlayerSession, XapiLaunchToken, utcnow
from coursehost.xapi import launch_tokens
from coursehost.xapi.cmi5 import rules
from coursehost.xapi.cmi5.statements import LAUNCH_DATA_ID, AuLaunch, satisfied
from coursehost.xapi.documents.service import put_state
from coursehost.xapi.principal import LrsPrincipal
from coursehost.xapi.statements.service import store_statements

log = logging.getLogger("coursehost.xapi.cmi5")


def write_launch_data(
    session: Session, app_pk: int, activity_id: str, actor: dict[str, Any], registration: str, document: dict[str, Any]
) -> None:
    """Create or replace the ``LMS.LaunchData`` state document (cmi5 §10.1) before the AU starts."""
    content = json.dumps(document, separators=(",", ":")).encode()
    put_state(session, app_pk, activity_id, actor, registration, LAUNCH_DATA_ID, "application/json", content)


def emit(session: Session, ctx: Context, principal: LrsPrincipal, statements: Sequence[dict[str, Any]]) -> list[str]:
    """Record the LMS's own statements (launched, satisfied, abandoned) in the application's LRS as ``principal``
    (the player's, at ROOT), in the caller's transaction."""
    if not statements:
        return []
    return store_statements(session, ctx, principal, list(statements))


def check_and_advance(
    session: Session,
    principal: LrsPrincipal,
    statements: Sequence[dict[str, Any]],
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """The statement store's hook for statements posted with a cmi5 launch's credential (as the AU sent them):
    refuses the batch (403) when one breaks a cmi5 rule, otherwise moves the AU session's state on and returns
    the ``satisfied`` statements the LMS must record after them (cmi5 §9.3.9). Tin Can launches have no rules."""
    row = _au_row(session, principal)
    if row is None:
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


def _au_row(session: Session, principal: LrsPrincipal) -> XapiLaunchToken | None:
    scope = principal.launch
    if scope is None or scope.launch_pk is None:
        return None
    row = session.get(XapiLaunchToken, scope.launch_pk)
    return row if row is not None and row.au_session is not None else None


def learner_preferences_read(session: Session, principal: LrsPrincipal) -> None:
    """The AU asked for its learner preferences (found or not): from now on it may send ``initialized`` (cmi5
    11.0.0.0-3)."""
    row = _au_row(session, principal)
    if row is not None and not row.state.get("learnerPreferencesRead"):
        launch_tokens.set_state(session, row, {**row.state, "learnerPreferencesRead": True})


def check_state_write(session: Session, principal: LrsPrincipal, document_id: str | None) -> None:
    """An AU only reads ``LMS.LaunchData`` (cmi5 10.2.1.0-5): it may not write or delete it, nor delete all its
    states at once, which would take the launch data with them."""
    if principal.launch is None or (document_id is not None and document_id != LAUNCH_DATA_ID):
        return
    if _au_row(session, principal) is not None:
        raise Forbidden("LMS.LaunchData is the LMS's: an AU may only read it (cmi5 10.2.1.0-5)")


def check_learner_preferences_write(principal: LrsPrincipal, content_type: str | None, body: bytes | None) -> None:
    """An AU may change its learner preferences only with a well-formed document (cmi5 11.0.0.0-5, 11.1.0.0-1), and
    may not delete them; refused with 403, which cmi5 tells the AU to expect (11.0.0.0-2)."""
    if principal.launch is None:
        return
    if body is None:
        raise Forbidden("An AU may not delete its learner preferences (cmi5 11.0)")
    reason = rules.check_learner_preferences(content_type, body)
    if reason is not None:
        raise Forbidden(reason)


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
        if waived(launches, index) or rules.move_on_met(
            node.get("data", {}).get("moveOn", "NotApplicable"), fact["completed"], fact["passed"]
        ):
            met.add(index)
    return met


def waived(launches: Sequence[XapiLaunchToken], index: int) -> bool:
    """Whether the AU of node ``index`` was waived in the registration these launches share (cmi5 §9.3.7)."""
    return any(launch.node == index and launch.state.get("waived") for launch in launches)


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
