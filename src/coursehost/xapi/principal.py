"""Who calls an application's LRS, and what they may do.

Three kinds of caller present HTTP Basic credentials:
- the application's own id and secret key: ROOT (everything);
- one of its xAPI credentials (``/api/v2/xapi/credentials``): that credential's permission level;
- a launch's credential (a cmi5 fetch token, a Tin Can launch): limited to one session's actor and registration.

A credential of another application is simply unknown here (401): every lookup is under the path's application.
Failed attempts count against the same limiter as the API's (``Context.auth_failures``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from coursehost.auth.dependencies import parse_basic
from coursehost.auth.service import authenticate, find_application
from coursehost.context import Context, ContextDep, SessionDep
from coursehost.kit.errors import NotFound, TooManyRequests, Unauthorized
from coursehost.models import utcnow
from coursehost.xapi import launch_tokens
from coursehost.xapi.credentials.repository import find_enabled_credential


class Level(StrEnum):
    """SCORM Cloud's permission levels (docs/xapi.md says what each may do)."""

    ROOT = "ROOT"
    USER = "USER"
    DEFAULT = "DEFAULT"
    READONLY = "READONLY"
    WRITEONLY = "WRITEONLY"


@dataclass(frozen=True)
class LaunchScope:
    """What a launch's credential is limited to: one player session, its actor and its registration."""

    session_id: str
    actor: dict[str, Any]
    registration: str
    activity_id: str | None = None
    # The xapi_launch_tokens row the credential belongs to (the cmi5 AU rules' state lives there).
    launch_pk: int | None = None


@dataclass(frozen=True)
class LrsPrincipal:
    app_pk: int
    app_id: str
    level: Level
    # The agent the LRS writes as a statement's ``authority``.
    authority: dict[str, Any] = field(hash=False)
    credential_pk: int | None = None
    launch: LaunchScope | None = None

    @property
    def may_write(self) -> bool:
        return self.level is not Level.READONLY

    @property
    def may_read(self) -> bool:
        return self.level is not Level.WRITEONLY

    @property
    def reads_only_its_own(self) -> bool:
        """DEFAULT credentials read back only the statements they wrote; launches only their session's."""
        return self.level is Level.DEFAULT or self.launch is not None


def _account(home_page: str, name: str) -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": home_page, "name": name}}


def identify(request: Request, ctx: Context, session: Session, app_id: str) -> LrsPrincipal:
    address = request.client.host if request.client else ""
    limiter = ctx.auth_failures
    wait = limiter.retry_after(address, app_id)
    if wait is not None:
        raise TooManyRequests(f"Too many failed authentication attempts; try again in {wait} seconds", wait)
    app = find_application(session, app_id) if "\x00" not in app_id else None
    if app is None:
        raise NotFound(f"No LRS at this address (no application {app_id!r})")
    home = ctx.settings.resolved_public_url.rstrip("/")
    presented = parse_basic(request.headers.get("authorization", ""))
    principal: LrsPrincipal | None = None
    if presented is not None and "\x00" not in presented[0] + presented[1]:
        key, secret = presented
        if key == app.app_id:
            if authenticate(session, app_id, secret) is not None:
                principal = LrsPrincipal(app.pk, app.app_id, Level.ROOT, _account(home, app.app_id))
        elif key.startswith(launch_tokens.KEY_PREFIX):
            principal = _launch(session, app.pk, app.app_id, home, key, secret)
        else:
            credential = find_enabled_credential(session, app.pk, key, secret)
            if credential is not None:
                principal = LrsPrincipal(
                    app.pk,
                    app.app_id,
                    Level(credential.permissions_level),
                    _account(home + "/lrs/" + app.app_id, credential.credential_id),
                    credential_pk=credential.pk,
                )
    if principal is None:
        # Written in the request's transaction, which is then committed: the request ends with 401.
        limiter.failed(address, app_id, session)
        raise Unauthorized("Authorization Required.")
    limiter.succeeded(address, app_id)
    return principal


def _launch(session: Session, app_pk: int, app_id: str, home: str, key: str, secret: str) -> LrsPrincipal | None:
    """A launch's credential: DEFAULT, limited to its player session's actor and registration (and activity)."""
    row = launch_tokens.find_by_key(session, app_pk, key, secret, utcnow())
    if row is None:
        return None
    scope = LaunchScope(row.session_id, dict(row.actor), row.registration, row.activity_id, row.pk)
    return LrsPrincipal(app_pk, app_id, Level.DEFAULT, _account(f"{home}/lrs/{app_id}", "launch"), launch=scope)


def lrs_principal(request: Request, ctx: ContextDep, session: SessionDep, app_id: str) -> LrsPrincipal:
    return identify(request, ctx, session, app_id)


LrsDep = Annotated[LrsPrincipal, Depends(lrs_principal)]
