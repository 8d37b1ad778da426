"""Launching content that reports to the application's LRS: cmi5 AUs (cmi5 §8, §10) and Tin Can activities (the
Tin Can launch convention). The player page asks for each launch (``POST runtime``-style, ``xapi/<node>``) and
shows the URL it gets back; docs/xapi.md, "Launches", describes what each launch carries.

A cmi5 launch, in order: the AU sessions of this player session still open are abandoned, the registration's
first launch records the blocks and course that NotApplicable AUs satisfy at once, a launch row with a single-use
fetch URL is stored, the ``LMS.LaunchData`` document is written and the ``launched`` statement recorded; only
then does the page get the URL. Ending the player session (exit, or expiry) abandons what is still open.
"""

from __future__ import annotations

import json
import secrets
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from sqlalchemy.orm import Session

from coursehost.config import Settings
from coursehost.context import Context
from coursehost.kit.schemas import as_utc
from coursehost.models import Application, PlayerSession, XapiLaunchToken, utcnow
from coursehost.player.service import check_launch_mode
from coursehost.player.sessions import PlayerError
from coursehost.xapi import launch_tokens
from coursehost.xapi.cmi5 import lms, rules
from coursehost.xapi.cmi5.statements import (
    VERB_LAUNCHED,
    WAIVE_REASONS,
    AuLaunch,
    abandoned,
    iso_duration,
    launch_data,
    launched,
    waived,
)
from coursehost.xapi.launch import lrs_home, player_principal, preview_actor, session_registration

ABSOLUTE = ("http://", "https://")
FETCH_ALREADY_USED = {"error-code": "1", "error-text": "Already in use: the fetch URL returns a token only once"}
FETCH_UNKNOWN = {"error-code": "2", "error-text": "General security error: this fetch URL is not valid (any more)"}


def with_query(url: str, params: dict[str, str]) -> str:
    """``url`` with ``params`` url-encoded onto its query, before any fragment (cmi5 §8.1: values URL-encoded)."""
    base, hash_, fragment = url.partition("#")
    query = urlencode(params, quote_via=quote)
    joined = base + ("&" if "?" in base else "?") + query
    return joined + hash_ + fragment


def content_address(settings: Settings, row: PlayerSession, href: str) -> str:
    """The absolute URL of an activity's launch file (cmi5's launchurl is fully qualified)."""
    if href.lower().startswith(ABSOLUTE):
        return href
    return f"{settings.resolved_content_url}/player/s/{row.id}/content/{quote(href, safe='/?=&;%#:@+,')}"


def launch(session: Session, ctx: Context, row: PlayerSession, index: int) -> dict[str, Any]:
    """Launch node ``index`` of a cmi5 or xAPI plan: ``{"url", "ownWindow"}``."""
    plan = row.plan
    nodes = plan["nodes"]
    if plan["standard"] not in ("cmi5", "xapi") or not (0 <= index < len(nodes)) or not nodes[index]["href"]:
        raise PlayerError(404, "notFound")
    app_id = _app_id(session, row.app_pk)
    public = ctx.settings.resolved_public_url
    node = nodes[index]
    actor = preview_actor(public, app_id)
    registration = session_registration(row.id)
    url = content_address(ctx.settings, row, node["href"])
    params = {"endpoint": lrs_home(public, app_id) + "/"}
    if plan["standard"] == "xapi":
        token = XapiLaunchToken(
            app_pk=row.app_pk,
            session_id=row.id,
            node=index,
            activity_id=node.get("iri") or "",
            registration=registration,
            actor=actor,
            state={},
        )
        params["auth"] = "Basic " + launch_tokens.issue_credential(token)
        launch_tokens.add(session, token)
        params |= {"actor": _json(actor), "registration": registration, "activity_id": token.activity_id}
        if token.activity_id:
            # Like a cmi5 launch, a Tin Can launch is on record even when the content reports nothing itself.
            recorded = tincan_launched(actor, token.activity_id, registration, utcnow())
            lms.emit(session, ctx, player_principal(row.app_pk, app_id, public), [recorded])
        return {"url": with_query(url, params), "ownWindow": False}
    return _launch_au(session, ctx, row, index, app_id, url, params)


def _launch_au(
    session: Session, ctx: Context, row: PlayerSession, index: int, app_id: str, url: str, params: dict[str, str]
) -> dict[str, Any]:
    now = utcnow()
    node = row.plan["nodes"][index]
    data = node.get("data") or {}
    principal = player_principal(row.app_pk, app_id, ctx.settings.resolved_public_url)
    earlier = launch_tokens.launches(session, row.id)
    lms.emit(session, ctx, principal, _abandon_open(session, earlier, now))
    au = AuLaunch(
        actor=preview_actor(ctx.settings.resolved_public_url, app_id),
        registration=session_registration(row.id),
        session_id=str(uuid.uuid4()),
        activity_id=node["xapiId"],
        publisher_id=node["iri"],
        move_on=data.get("moveOn", "NotApplicable"),
        mastery_score=data.get("masteryScore"),
        launch_parameters=data.get("launchParameters"),
        entitlement_key=data.get("entitlementKey"),
        launch_mode=check_launch_mode(row.options.get("values") or []),
    )
    facts = _registration_facts(earlier, index)
    fetch_secret = secrets.token_urlsafe(32)
    token = XapiLaunchToken(
        app_pk=row.app_pk,
        session_id=row.id,
        node=index,
        au_session=au.session_id,
        activity_id=au.activity_id,
        registration=au.registration,
        actor=au.actor,
        fetch_hash=launch_tokens.digest(fetch_secret),
        state=rules.new_state(au, now.isoformat(), facts),
    )
    launch_tokens.add(session, token)
    return_url = f"{ctx.settings.resolved_content_url}/player/static/blank.html"
    lms.write_launch_data(session, row.app_pk, au.activity_id, au.actor, au.registration, launch_data(au, return_url))
    statements = lms.satisfied_statements(session, token, set(), now) if not earlier else []
    statements.append(launched(au, url, now))
    lms.emit(session, ctx, principal, statements)
    params |= {
        "fetch": f"{ctx.settings.resolved_content_url}/player/fetch/{fetch_secret}",
        "registration": au.registration,
        "activityId": au.activity_id,
        "actor": _json(au.actor),
    }
    return {"url": with_query(url, params), "ownWindow": data.get("launchMethod") == "OwnWindow"}


def waive(session: Session, ctx: Context, row: PlayerSession, index: int, reason: str) -> None:
    """Waive cmi5 AU ``index`` in the session's registration (cmi5 §9.3.7): a ``waived`` statement with the reason,
    in a session id of its own, then ``satisfied`` for the blocks and course that now meet moveOn. Refused (400)
    for an unknown reason, an AU already waived or whose moveOn is already met (nothing left to waive)."""
    nodes = row.plan["nodes"]
    if row.plan["standard"] != "cmi5" or not (0 <= index < len(nodes)) or not nodes[index]["href"]:
        raise PlayerError(404, "notFound")
    if reason not in WAIVE_REASONS:
        raise PlayerError(400, "badWaiveReason")
    earlier = launch_tokens.launches(session, row.id)
    if index in lms.met_aus(nodes, earlier):
        raise PlayerError(409, "nothingToWaive")
    now = utcnow()
    app_id = _app_id(session, row.app_pk)
    node = nodes[index]
    au = AuLaunch(
        actor=preview_actor(ctx.settings.resolved_public_url, app_id),
        registration=session_registration(row.id),
        session_id=str(uuid.uuid4()),
        activity_id=node["xapiId"],
        publisher_id=node["iri"],
        move_on=(node.get("data") or {}).get("moveOn", "NotApplicable"),
    )
    # A launch row without a credential or fetch URL: it keeps the waiver (and its session id) in the registration.
    state = {**rules.new_state(au, now.isoformat(), {}), "waived": True, "terminated": True}
    token = XapiLaunchToken(
        app_pk=row.app_pk,
        session_id=row.id,
        node=index,
        au_session=au.session_id,
        activity_id=au.activity_id,
        registration=au.registration,
        actor=au.actor,
        state=state,
    )
    before = lms.satisfied_in(session, row.id)
    launch_tokens.add(session, token)
    statements = [waived(au, reason, now), *lms.satisfied_statements(session, token, before, now)]
    lms.emit(session, ctx, player_principal(row.app_pk, app_id, ctx.settings.resolved_public_url), statements)


def fetch(session: Session, fetch_secret: str) -> dict[str, str]:
    """The answer to a POST on a fetch URL (cmi5 §8.2): the token once, then error 1; error 2 when unknown."""
    row, token = launch_tokens.take_fetch(session, fetch_secret, utcnow())
    if row is None:
        return FETCH_UNKNOWN
    return {"auth-token": token} if token is not None else FETCH_ALREADY_USED


def end_session(session: Session, ctx: Context, row: PlayerSession) -> None:
    """The player session ends (exit): its AU sessions still open are abandoned."""
    launches = launch_tokens.launches(session, row.id)
    statements = _abandon_open(session, launches, utcnow())
    if statements:
        app_id = _app_id(session, row.app_pk)
        lms.emit(session, ctx, player_principal(row.app_pk, app_id, ctx.settings.resolved_public_url), statements)


def end_expired(session: Session, ctx: Context, now: datetime) -> None:
    """Before expired player sessions are deleted: abandon their AU sessions still open."""
    by_app: dict[int, list[XapiLaunchToken]] = {}
    for token in launch_tokens.expired_launches(session, now):
        by_app.setdefault(token.app_pk, []).append(token)
    for app_pk, tokens in by_app.items():
        statements = _abandon_open(session, tokens, now)
        if statements:
            principal = player_principal(app_pk, _app_id(session, app_pk), ctx.settings.resolved_public_url)
            lms.emit(session, ctx, principal, statements)


def _abandon_open(session: Session, launches: list[XapiLaunchToken], now: datetime) -> list[dict[str, Any]]:
    """``abandoned`` for each AU session launched and neither terminated nor abandoned yet (cmi5 §9.3.6), at most
    once each; the duration runs from launched to the AU's last statement (§9.5.4.2)."""
    out: list[dict[str, Any]] = []
    for token in launches:
        state = token.state
        if token.au_session is None or state.get("terminated") or state.get("abandoned"):
            continue
        started = as_utc(datetime.fromisoformat(state["launchedAt"]))
        last = as_utc(datetime.fromisoformat(state.get("lastAt") or state["launchedAt"]))
        out.append(abandoned(lms.au_launch(token), iso_duration((last - started).total_seconds()), now))
        launch_tokens.set_state(session, token, {**state, "abandoned": True})
    return out


def _registration_facts(earlier: list[XapiLaunchToken], index: int) -> dict[str, bool]:
    facts = {"completed": False, "passed": False, "failed": False}
    for token in earlier:
        if token.node == index:
            for name, value in (token.state.get("registrationFacts") or {}).items():
                facts[name] = facts.get(name, False) or bool(value)
    return facts


def _app_id(session: Session, app_pk: int) -> str:
    app = session.get(Application, app_pk)
    if app is None:  # pragma: no cover - the session row goes with its application
        raise PlayerError(410, "sessionEnded")
    return app.app_id


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def tincan_launched(actor: dict[str, Any], activity_id: str, registration: str, now: datetime) -> dict[str, Any]:
    """The player's ``launched`` statement for a Tin Can activity (the verb ADL's vocabulary gives a launch)."""
    return {
        "id": str(uuid.uuid4()),
        "actor": actor,
        "verb": {"id": VERB_LAUNCHED, "display": {"en-US": "launched"}},
        "object": {"objectType": "Activity", "id": activity_id},
        "context": {"registration": registration},
        "timestamp": now.isoformat(),
    }
