"""Authentication for every operation: HTTP Basic with an application's id and secret key (SCORM Cloud's
APP_NORMAL), or an OAuth2 bearer token holding one of the operation's scopes (OAUTH).

The scope an operation needs is derived from the request's method and route (:mod:`coursehost.auth.scopes`), so
endpoints only declare ``AppDep`` (the application is looked up in the request's session, which the handler
shares) or, for a route that waits on a transfer before its database work, ``TransferAppDep``. Failed attempts
are counted per client address and per application (:mod:`coursehost.kit.ratelimit`, one limiter per service in
its ``Context``). Nothing here logs a credential, nor the app id a failed attempt named (a
secret pasted into the wrong field would land in the log).
"""

from __future__ import annotations

import base64
import binascii
import logging
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from coursehost.auth import tokens
from coursehost.auth.scopes import describe, required_scopes
from coursehost.auth.service import authenticate, find_application
from coursehost.context import Context, ContextDep, SessionDep
from coursehost.kit.errors import Forbidden, TooManyRequests, Unauthorized
from coursehost.kit.ratelimit import FailureLimiter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AppIdentity:
    pk: int
    app_id: str
    # None for the application's own key and secret (everything allowed); a bearer token's scopes otherwise.
    scopes: frozenset[str] | None = None


@dataclass(frozen=True)
class _Presented:
    basic: tuple[str, str] | None = None
    bearer: str | None = None
    malformed: bool = False


def _presented(header: str) -> _Presented:
    # One header may carry both schemes (comma-separated); the reference says Bearer wins then.
    basic: tuple[str, str] | None = None
    bearer: str | None = None
    malformed = False
    for part in header.split(","):
        scheme, _, value = part.strip().partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            bearer = value.strip()
        elif scheme.lower() == "basic":
            try:
                user, sep, secret = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                malformed = True
                continue
            if sep:
                basic = (user, secret)
            else:
                malformed = True
    return _Presented(basic, bearer, malformed)


def parse_basic(header: str) -> tuple[str, str] | None:
    """The id and secret of an ``Authorization: Basic`` header (the LRS reads them too), or None."""
    return _presented(header).basic


def _check_limit(limiter: FailureLimiter, address: str, app_id: str | None) -> None:
    wait = limiter.retry_after(address, app_id)
    if wait is not None:
        log.warning("refusing authentication from %s: too many failed attempts (retry in %d s)", address, wait)
        raise TooManyRequests(f"Too many failed authentication attempts; try again in {wait} seconds", wait)


def _route_template(request: Request) -> str:
    route = request.scope.get("route")
    template = getattr(route, "path_format", None)
    return template if isinstance(template, str) else request.url.path


def _by_basic(ctx: Context, session: Session, address: str, app_id: str, secret: str) -> AppIdentity:
    limiter = ctx.auth_failures
    _check_limit(limiter, address, app_id)
    identity = None
    # No application id holds a NUL (and PostgreSQL could not even be asked about one).
    if "\x00" not in app_id:
        app = authenticate(session, app_id, secret)
        identity = AppIdentity(pk=app.pk, app_id=app.app_id) if app is not None else None
    if identity is None:
        limiter.failed(address, app_id)
        log.info("failed authentication (Basic) from %s", address)
        raise Unauthorized("Authorization Required.")
    limiter.succeeded(address, identity.app_id)
    return identity


def _by_token(
    ctx: Context, session: Session, address: str, token: str, accepted: tuple[str, ...] | None
) -> AppIdentity:
    limiter = ctx.auth_failures
    _check_limit(limiter, address, None)
    claims = tokens.read(ctx.settings.resolved_secret_key, token)
    identity = None
    if claims is not None:
        app = find_application(session, claims.app_id)
        if app is not None and tokens.same_generation(claims, app.secret_hash):
            identity = AppIdentity(pk=app.pk, app_id=app.app_id, scopes=claims.scopes)
    if identity is None or claims is None:
        limiter.failed(address, None)
        log.info("failed authentication (bearer token) from %s", address)
        raise Unauthorized("Authorization Required: the bearer token is not valid or has expired.")
    limiter.succeeded(address, identity.app_id)
    if accepted is None:
        raise Forbidden("Tokens are created with the application's id and secret key (HTTP Basic), not with a token")
    if claims.scopes.isdisjoint(accepted):
        raise Forbidden(f"Insufficient scope: this operation needs a token with the scope {describe(accepted)}")
    return identity


def _identify(request: Request, ctx: Context, session: Session) -> AppIdentity:
    accepted = required_scopes(request.method, _route_template(request))
    presented = _presented(request.headers.get("authorization", ""))
    address = request.client.host if request.client else ""
    if presented.bearer is not None and (accepted is not None or presented.basic is None):
        return _by_token(ctx, session, address, presented.bearer, accepted)
    if presented.basic is not None:
        return _by_basic(ctx, session, address, *presented.basic)
    if presented.malformed:
        _check_limit(ctx.auth_failures, address, None)
        ctx.auth_failures.failed(address, None)
    raise Unauthorized("Authorization Required.")


def current_app(request: Request, ctx: ContextDep, session: SessionDep) -> AppIdentity:
    # The request's own session: the handler's work runs in the same transaction as this lookup.
    return _identify(request, ctx, session)


def current_app_for_transfer(request: Request, ctx: ContextDep) -> AppIdentity:
    # A transaction of its own, over before the handler starts: a route that first waits on a transfer (a streamed
    # upload, a download from another server) must not hold a connection, and a transaction, meanwhile.
    with ctx.db.session() as session:
        return _identify(request, ctx, session)


AppDep = Annotated[AppIdentity, Depends(current_app)]
TransferAppDep = Annotated[AppIdentity, Depends(current_app_for_transfer)]
"""For routes that wait on a transfer before touching the database; they open their transactions themselves."""
