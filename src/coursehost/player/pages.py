"""The player's own URLs: the launch link, the player page, course files under the player's origin, run-time data,
exit and the AICC HACP endpoint. None of it is part of the SCORM Cloud API. Course files and the player's static
files (``/player/static/``) are answered in front of the router, by player/delivery.py."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import Cookie, Header, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from coursehost.context import Context, ContextDep, SessionDep
from coursehost.kit.delivery import ASGIAnswer
from coursehost.kit.params import Int32
from coursehost.kit.routing import checked_router
from coursehost.models import PlayerSession, utcnow
from coursehost.player import hacp, page_data, render, service, statements, xapi_launch
from coursehost.player import repository as repo
from coursehost.player.delivery import SESSION_TOPIC, PlayerContent
from coursehost.player.messages import choose
from coursehost.player.schemas import WaiveRequest
from coursehost.player.sessions import COOKIE, active_session, cookie_path, cookie_value

# A PlayerError raised here is answered by player/errors.py in the kind of response its route declares: an error page
# (HTMLResponse), text (PlainTextResponse) or JSON.
router = checked_router(prefix="/player", include_in_schema=False)

SessionId = Annotated[str, Path(alias="sessionId", pattern="^[0-9a-f]{16,64}$")]
SessionCookie = Annotated[str | None, Cookie(alias=COOKIE)]
AcceptLanguage = Annotated[str | None, Header(alias="accept-language")]
MAX_SNAPSHOT_BYTES = 8 * 1024**2


def _player(ctx: Context, session: Session, session_id: str, cookie: str | None) -> PlayerSession:
    """The live player session the id and cookie name (its sliding expiry moved on). A PlayerError raised here or
    later in the handler rolls the request's transaction back, so a refused call changes nothing."""
    return active_session(session, ctx.settings.resolved_secret_key, session_id, cookie, utcnow())


@router.get("/launch/{token}", response_class=HTMLResponse)
def launch(ctx: ContextDep, session: SessionDep, token: str) -> Response:
    # Expired sessions are deleted as a new one starts; their cmi5 AU sessions still open are abandoned first.
    xapi_launch.end_expired(session, ctx, utcnow())
    session_id = service.open_launch(session, ctx.content, ctx.settings.resolved_secret_key, token)
    response = RedirectResponse(f"../s/{session_id}/", status_code=303)
    secure = ctx.settings.resolved_content_url.startswith("https://")
    response.set_cookie(
        COOKIE,
        cookie_value(ctx.settings.resolved_secret_key, session_id),
        path=cookie_path(session_id),
        httponly=True,
        secure=secure,
        # A player framed by another site's page (PlayerLaunchType FRAMESET) only gets its cookie with None.
        samesite="none" if secure else "lax",
    )
    return response


@router.get("/s/{sessionId}/", response_class=HTMLResponse)
def player_page(
    ctx: ContextDep,
    session: SessionDep,
    session_id: SessionId,
    cookie: SessionCookie = None,
    accept_language: AcceptLanguage = None,
    window: str | None = None,
) -> Response:
    row = _player(ctx, session, session_id, cookie)
    snapshots = repo.snapshots(session, row.id)
    language = choose(row.options.get("culture"), accept_language)
    if row.plan["settings"]["launchType"] != "FRAMESET" and window != "player":
        return page_data.launcher(row, language)
    return page_data.player(
        row, snapshots, language, ctx.settings.resolved_secret_key, ctx.settings.resolved_content_url
    )


@router.get("/s/{sessionId}/content/{path:path}", response_class=PlainTextResponse)
async def content(request: Request, session_id: SessionId, path: str) -> Response:
    """Answered in front of the router (player/delivery.py); a request reaches here only if that hands it on."""
    files: PlayerContent = request.app.state.player_content
    return ASGIAnswer(files.answer)


@router.get("/s/{sessionId}/media/{activity}", response_class=HTMLResponse)
def media_page(
    ctx: ContextDep,
    session: SessionDep,
    session_id: SessionId,
    activity: Int32,
    cookie: SessionCookie = None,
    accept_language: AcceptLanguage = None,
) -> Response:
    row = _player(ctx, session, session_id, cookie)
    return page_data.media(row, activity, choose(row.options.get("culture"), accept_language))


@router.get("/s/{sessionId}/runtime/{activity}", response_class=JSONResponse)
def get_runtime(
    ctx: ContextDep, session: SessionDep, session_id: SessionId, activity: Int32, cookie: SessionCookie = None
) -> Response:
    row = _player(ctx, session, session_id, cookie)
    found = repo.snapshot(session, row.id, activity)
    return JSONResponse(found or {}, headers=render.NO_STORE)


@router.post("/s/{sessionId}/runtime/{activity}", response_class=JSONResponse)
async def put_runtime(
    request: Request,
    ctx: ContextDep,
    session: SessionDep,
    session_id: SessionId,
    activity: Int32,
    cookie: SessionCookie = None,
) -> Response:
    # Async only to read the raw body (a beacon's type may be anything); the database work runs in the threadpool.
    body = await request.body()
    if len(body) > MAX_SNAPSHOT_BYTES:
        return JSONResponse({"message": "snapshot too large", "error": "snapshot too large"}, status_code=413)
    snapshot = page_data.parse_json(body)
    stored = await run_in_threadpool(_store, ctx, session, session_id, cookie, activity, snapshot)
    return JSONResponse({"stored": stored})


def _store(ctx: Context, session: Session, session_id: str, cookie: str | None, activity: int, snapshot: Any) -> bool:
    return service.store_runtime(ctx, session, _player(ctx, session, session_id, cookie), activity, snapshot)


@router.post("/s/{sessionId}/xapi/{activity}", response_class=JSONResponse)
def launch_xapi(
    ctx: ContextDep, session: SessionDep, session_id: SessionId, activity: Int32, cookie: SessionCookie = None
) -> Response:
    """A cmi5 AU's or Tin Can activity's launch URL, with its launch parameters (player/xapi_launch.py)."""
    row = _player(ctx, session, session_id, cookie)
    return JSONResponse(xapi_launch.launch(session, ctx, row, activity), headers=render.NO_STORE)


@router.post("/s/{sessionId}/waive/{activity}", status_code=204, response_class=JSONResponse)
def waive_au(
    ctx: ContextDep,
    session: SessionDep,
    session_id: SessionId,
    activity: Int32,
    body: WaiveRequest,
    cookie: SessionCookie = None,
) -> Response:
    """Waive a cmi5 AU in the preview's registration for one of cmi5's reasons (docs/xapi.md, "Waiving")."""
    row = _player(ctx, session, session_id, cookie)
    xapi_launch.waive(session, ctx, row, activity, body.reason)
    return Response(status_code=204)


@router.post("/fetch/{token}", response_class=JSONResponse)
def cmi5_fetch(session: SessionDep, token: Annotated[str, Path(max_length=128)]) -> Response:
    """cmi5's fetch URL (§8.2): always 200 with JSON, the token or the error; the single-use token is the only
    authorisation, so AUs served from elsewhere may call it too."""
    return JSONResponse(
        xapi_launch.fetch(session, token),
        headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "no-store"},
    )


@router.post("/s/{sessionId}/ping", status_code=204, response_class=JSONResponse)
def ping(ctx: ContextDep, session: SessionDep, session_id: SessionId, cookie: SessionCookie = None) -> Response:
    _player(ctx, session, session_id, cookie)
    return Response(status_code=204)


@router.post("/s/{sessionId}/exit", response_class=JSONResponse)
def exit_player(ctx: ContextDep, session: SessionDep, session_id: SessionId, cookie: SessionCookie = None) -> Response:
    row = _player(ctx, session, session_id, cookie)
    target = service.exit_target(row)
    language = choose(row.options.get("culture"), None)
    statements.at_exit(session, ctx, row)
    xapi_launch.end_session(session, ctx, row)
    repo.delete_session(session, row.id)
    ctx.invalidations.publish(session, SESSION_TOPIC, row.id)  # other processes keep sessions (player/delivery.py)
    response = JSONResponse({"redirect": target, "exitedPage": f"../../exited?lang={language}"})
    response.delete_cookie(COOKIE, path=cookie_path(session_id))
    return response


@router.get("/exited")
def exited(lang: str | None = None, accept_language: AcceptLanguage = None) -> Response:
    return render.message("exited", 200, choose(lang, accept_language), "static/")


@router.post("/hacp")
async def hacp_endpoint(request: Request, ctx: ContextDep) -> Response:
    # AUs post form-encoded bodies, not always with the matching Content-Type; read them whatever it says.
    if request.headers.get("content-type", "").startswith("multipart/"):
        form = {key: value for key, value in (await request.form()).items() if isinstance(value, str)}
    else:
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))
    text = await run_in_threadpool(_hacp, ctx, form)
    # AUs served from elsewhere post HACP too; the signed session id, not a cookie, authorises the call.
    return PlainTextResponse(text, headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "no-store"})


def _hacp(ctx: Context, form: dict[str, str]) -> str:
    # A transaction of its own, kept explicit (issue 11): opened once the AU's form is read and committed in the
    # thread that did the work, so the call costs one thread hop where a request session would cost two.
    with ctx.db.session() as session:
        return hacp.handle(ctx, session, form)
