"""The Statement Resource (``/statements``) and the Activities Resource (``/activities``) of an application's LRS."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from coursehost.context import Context, ContextDep, SessionDep
from coursehost.kit.errors import BadRequest
from coursehost.kit.routing import check_json_text
from coursehost.xapi import formats
from coursehost.xapi.cmi5 import lms
from coursehost.xapi.launch import player_principal
from coursehost.xapi.principal import LrsDep, LrsPrincipal
from coursehost.xapi.statements import attachments, service
from coursehost.xapi.statements import repository as repo
from coursehost.xapi.statements.schemas import StatementQuery, parse_query
from coursehost.xapi.statements.shaping import accept_languages, as_canonical, as_ids
from coursehost.xapi.versions import XapiVersion

router = APIRouter()
CONSISTENT = "X-Experience-API-Consistent-Through"


def _version(request: Request) -> XapiVersion:
    version: XapiVersion = getattr(request.state, "xapi_version", XapiVersion.V2)
    return version


MAX_DEPTH = 64


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return deepest


def checked_json(document: Any) -> Any:
    """Statements that can be stored as text and walked safely: no NUL or lone surrogate, nesting within reason."""
    check_json_text(document, "Invalid request: the statement's")
    if _depth(document) > MAX_DEPTH:
        raise BadRequest(f"Invalid request: the statements are nested more than {MAX_DEPTH} levels deep")
    return document


async def _read_statements(request: Request) -> tuple[Any, dict[str, attachments.Part]]:
    body = await request.body()
    content_type = request.headers.get("content-type", "application/json")
    media = content_type.split(";")[0].strip().lower()
    if media == "multipart/mixed":
        document, parts = attachments.parse_multipart(content_type, body)
        return checked_json(document), parts
    if media != "application/json":
        raise BadRequest(f"Invalid request: statements are sent as application/json or multipart/mixed, not {media!r}")
    try:
        return checked_json(formats.load_statements_json(body)), {}
    except (ValueError, RecursionError) as exc:
        raise BadRequest(f"Invalid request: the body is not JSON ({str(exc)[:200]})") from None


def _only(request: Request, allowed: set[str]) -> None:
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise BadRequest(f"Invalid request: this request has no parameter {unknown[0]!r}")


def _record(
    session: Session, ctx: Context, principal: LrsPrincipal, statements: list[Any], **options: Any
) -> list[str]:
    """Store a request's statements; a cmi5 AU's (a launch's credential) must also keep cmi5's rules, checked once
    they are valid xAPI, and may earn the LMS's ``satisfied`` statements for blocks and the course."""
    # The cmi5 rules read the statements as the AU sent them: storing gives them the id and timestamp cmi5 wants
    # the AU to set itself (9.1.0.0-1, 9.7.0.0-1). PUT's id is the AU's, from the statementId parameter.
    sent = copy.deepcopy(statements) if principal.launch is not None else []
    if sent and isinstance(sent[0], dict) and options.get("statement_id") is not None:
        sent[0].setdefault("id", options["statement_id"])
    ids = service.store_statements(session, ctx, principal, statements, **options)
    if principal.launch is not None:
        earned = lms.check_and_advance(session, principal, sent)
        lms.emit(
            session, ctx, player_principal(principal.app_pk, principal.app_id, ctx.settings.resolved_public_url), earned
        )
    return ids


@router.put("/statements", status_code=204)
async def put_statement(request: Request, principal: LrsDep, ctx: ContextDep, session: SessionDep) -> Response:
    _only(request, {"statementId"})
    statement_id = request.query_params.get("statementId")
    if statement_id is None:
        raise BadRequest("Invalid request: PUT /statements needs the statementId parameter")
    document, parts = await _read_statements(request)
    if not isinstance(document, dict):
        raise BadRequest("Invalid request: PUT /statements takes one statement (a JSON object)")
    await run_in_threadpool(
        _record, session, ctx, principal, [document], version=_version(request), parts=parts, statement_id=statement_id
    )
    return Response(status_code=204)


@router.post("/statements")
async def post_statements(request: Request, principal: LrsDep, ctx: ContextDep, session: SessionDep) -> Response:
    _only(request, set())
    document, parts = await _read_statements(request)
    statements = document if isinstance(document, list) else [document]
    ids = await run_in_threadpool(_record, session, ctx, principal, statements, version=_version(request), parts=parts)
    return Response(json.dumps(ids), media_type="application/json")


def _http_date(moment: datetime) -> str:
    return format_datetime(repo.aware(moment), usegmt=True)


def _shape(body: str, query: StatementQuery, request: Request) -> str:
    if query.format == "exact":
        return body
    statement = json.loads(body)
    if query.format == "ids":
        statement = as_ids(statement)
    else:
        statement = as_canonical(statement, accept_languages(request.headers.get("accept-language")))
    return json.dumps(statement, ensure_ascii=False, separators=(",", ":"))


def _answer(
    ctx: Any, session: Any, principal: Any, query: StatementQuery, text: str, sha2s: list[str], headers: dict[str, str]
) -> Response:
    if not query.attachments:
        return Response(text, media_type="application/json", headers=headers)
    files = attachments.load_files(ctx, session, principal.app_pk, sha2s)
    body, content_type = attachments.build_multipart(text.encode(), files)
    return Response(body, media_type=content_type, headers=headers)


def _more_url(request: Request, app_id: str, token: str) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "more"]
    return f"/lrs/{app_id}/statements?" + urlencode([*params, ("more", token)])


@router.api_route("/statements", methods=["GET", "HEAD"])
def get_statements(request: Request, app_id: str, principal: LrsDep, ctx: ContextDep, session: SessionDep) -> Response:
    query = parse_query(dict(request.query_params), _version(request))
    single = query.statement_id or query.voided_statement_id
    if single is not None:
        row = service.get_statement(session, principal, single, voided=query.voided_statement_id is not None)
        headers = {"Last-Modified": _http_date(row.stored), CONSISTENT: formats.format_timestamp(row.stored)}
        return _answer(ctx, session, principal, query, _shape(row.body, query, request), row.attachments, headers)
    after = service.decode_cursor(query.more) if query.more else None
    filters = repo.Filters(
        app_pk=principal.app_pk,
        agent=query.agent,
        verb=query.verb,
        activity=query.activity,
        registration=query.registration,
        related_activities=query.related_activities,
        related_agents=query.related_agents,
        since=query.since,
        until=query.until,
        ascending=query.ascending,
        after=after,
    )
    page = service.query_statements(session, principal, filters, query.limit)
    more = _more_url(request, app_id, page.more) if page.more else ""
    text = '{"statements":[' + ",".join(_shape(r.body, query, request) for r in page.rows) + "],"
    text += '"more":' + json.dumps(more) + "}"
    consistent = page.consistent_through
    latest = max((r.stored for r in page.rows), default=None, key=repo.aware)
    headers = {CONSISTENT: formats.format_timestamp(consistent)} if consistent else {}
    if latest is not None:
        headers["Last-Modified"] = _http_date(latest)
    sha2s = [sha for r in page.rows for sha in r.attachments]
    return _answer(ctx, session, principal, query, text, sha2s, headers)


@router.api_route("/activities", methods=["GET", "HEAD"])
def get_activity(request: Request, principal: LrsDep, session: SessionDep) -> Response:
    _only(request, {"activityId"})
    activity_id = request.query_params.get("activityId")
    if activity_id is None:
        raise BadRequest("Invalid request: GET /activities needs the activityId parameter")
    answer = service.activity_object(session, principal, activity_id)
    return Response(json.dumps(answer, ensure_ascii=False), media_type="application/json")
