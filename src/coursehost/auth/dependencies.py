"""Authentication for every operation: HTTP Basic with an application's id and secret key (SCORM Cloud's
APP_NORMAL), or an OAuth2 bearer token holding one of the operation's scopes (OAUTH).

The scope an operation needs is derived from the request's method and route (:mod:`coursehost.auth.scopes`), so
endpoints only declare ``AppDep`` (the application is looked up in the request's session, which the handler
shares) or, for a route that waits on a transfer before its database work, ``TransferAppDep``. Failed attempts
are counted per client address and per application (:mod:`coursehost.kit.ratelimit`, shared by every process of
the database). Nothing here logs a credential, nor the app id a failed attempt named (a secret pasted into the
wrong field would land in the log).

Credentials that authenticated are remembered (``Context.credentials``): Basic ones by app id and the SHA-256
digest of the secret (the digest the database stores), tokens' applications by app id with their secret's
generation. A hit costs no query and no thread hop: the dependencies are async, and only a miss or a failure goes
to a thread and the database. Failures are never remembered. A rotated secret drops the application's entries
(kit/invalidation.py): in this process when the rotation commits, in others within ``cache_poll_seconds``; every
entry is also forgotten after ``auth_cache_seconds``.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import logging
from dataclasses import dataclass, replace
from typing import Annotated

import anyio.to_thread
from fastapi import Depends, Request
from sqlalchemy.orm import Session

from coursehost.auth import tokens
from coursehost.auth.scopes import describe, required_scopes
from coursehost.auth.service import authenticate, find_application, hash_secret
from coursehost.context import Context, KnownApp, SessionDep, context_of
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
    if header.startswith("Basic ") and "," not in header:  # what nearly every request carries, read directly
        try:
            user, sep, secret = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return _Presented(malformed=True)
        return _Presented(basic=(user, secret)) if sep else _Presented(malformed=True)
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


@dataclass(frozen=True)
class _Attempt:
    """A request's credentials, checked against the limits, and what the cache knew of them."""

    address: str
    presented: _Presented
    # The scopes a token needs here; None where only Basic credentials are taken.
    accepted: tuple[str, ...] | None
    claims: tokens.AccessToken | None = None
    identity: AppIdentity | None = None


def _attempt(request: Request, ctx: Context) -> _Attempt:
    """Everything authentication can settle without the database: the limits (kept in memory), a request with no
    credentials, a token's signature and expiry, and credentials the cache holds (``identity`` set). What is left
    (a miss, a failure to record) needs the database: :func:`_identify`."""
    accepted = required_scopes(request.method, _route_template(request))
    presented = _presented(request.headers.get("authorization", ""))
    address = request.client.host if request.client else ""
    limiter = ctx.auth_failures
    if presented.bearer is not None and (accepted is not None or presented.basic is None):
        _check_limit(limiter, address, None)
        claims = tokens.read(ctx.settings.resolved_secret_key, presented.bearer)
        attempt = _Attempt(address, presented, accepted, claims)
        known = ctx.credentials.get(("token", claims.app_id, "")) if claims is not None else None
        if claims is None or known is None or not hmac.compare_digest(claims.generation, known.token_generation):
            return attempt
        return _token_accepted(ctx, attempt, AppIdentity(pk=known.pk, app_id=claims.app_id, scopes=claims.scopes))
    if presented.basic is not None:
        app_id, secret = presented.basic
        _check_limit(limiter, address, app_id)
        # The cache is keyed by the digest the database stores, so a hit is the same comparison the database
        # lookup makes; a wrong secret is never in it and goes to the database as it always did (failures are not
        # cached), so its timing does not depend on which ids exist.
        known = ctx.credentials.get(("basic", app_id, hash_secret(secret)))
        if known is None:
            return _Attempt(address, presented, accepted)
        limiter.succeeded(address, app_id)
        return _Attempt(address, presented, accepted, identity=AppIdentity(pk=known.pk, app_id=app_id))
    if presented.malformed:
        _check_limit(limiter, address, None)
        return _Attempt(address, presented, accepted)
    raise Unauthorized("Authorization Required.")


def _token_accepted(ctx: Context, attempt: _Attempt, identity: AppIdentity) -> _Attempt:
    ctx.auth_failures.succeeded(attempt.address, identity.app_id)
    if attempt.accepted is None:
        raise Forbidden("Tokens are created with the application's id and secret key (HTTP Basic), not with a token")
    if identity.scopes is not None and identity.scopes.isdisjoint(attempt.accepted):
        raise Forbidden(f"Insufficient scope: this operation needs a token with the scope {describe(attempt.accepted)}")
    return replace(attempt, identity=identity)


def _identify(attempt: _Attempt, ctx: Context, session: Session) -> AppIdentity:
    """The database's part of authentication: look the application up and remember it, or record the failure (in
    ``session``'s transaction, which is then committed: the request ends with 401)."""
    limiter = ctx.auth_failures
    cache = ctx.credentials
    ticket = cache.ticket()  # before reading: a rotation committed meanwhile keeps what was read out of the cache
    presented = attempt.presented
    if presented.bearer is not None and (attempt.accepted is not None or presented.basic is None):
        claims = attempt.claims
        app = find_application(session, claims.app_id) if claims is not None else None
        if claims is not None and app is not None and tokens.same_generation(claims, app.secret_hash):
            known = KnownApp(app.pk, tokens.generation(app.secret_hash))
            cache.put(("token", app.app_id, ""), known, app.app_id, ticket)
            identity = AppIdentity(pk=app.pk, app_id=app.app_id, scopes=claims.scopes)
            found = _token_accepted(ctx, attempt, identity).identity
            assert found is not None
            return found
        limiter.failed(attempt.address, None, session)
        log.info("failed authentication (bearer token) from %s", attempt.address)
        raise Unauthorized("Authorization Required: the bearer token is not valid or has expired.")
    if presented.basic is not None:
        app_id, secret = presented.basic
        # No application id holds a NUL (and PostgreSQL could not even be asked about one).
        found_app = authenticate(session, app_id, secret) if "\x00" not in app_id else None
        if found_app is None:
            limiter.failed(attempt.address, app_id, session)
            log.info("failed authentication (Basic) from %s", attempt.address)
            raise Unauthorized("Authorization Required.")
        cache.put(("basic", app_id, found_app.secret_hash), KnownApp(found_app.pk, ""), app_id, ticket)
        limiter.succeeded(attempt.address, found_app.app_id)
        return AppIdentity(pk=found_app.pk, app_id=found_app.app_id)
    limiter.failed(attempt.address, None, session)  # a malformed header
    raise Unauthorized("Authorization Required.")


async def current_app(request: Request, session: SessionDep) -> AppIdentity:
    # async: credentials the cache holds cost no thread hop and no query. Otherwise the database is asked in the
    # request's own session, so the handler's work runs in the same transaction as this lookup.
    ctx = context_of(request)
    attempt = _attempt(request, ctx)
    if attempt.identity is not None:
        return attempt.identity
    return await anyio.to_thread.run_sync(_identify, attempt, ctx, session)


async def current_app_alone(request: Request) -> AppIdentity:
    # A transaction of its own (when the cache cannot answer), over before the handler starts: a route that first
    # waits on a transfer (a streamed upload, a download from another server) must not hold a connection, and a
    # transaction, meanwhile; and a route that reads outside any session (getCourse) has no use for the request's.
    ctx = context_of(request)
    attempt = _attempt(request, ctx)
    if attempt.identity is not None:
        return attempt.identity
    return await anyio.to_thread.run_sync(_identify_in_own_transaction, attempt, ctx)


def _identify_in_own_transaction(attempt: _Attempt, ctx: Context) -> AppIdentity:
    with ctx.db.sessions() as session:  # closing it ends the (read-only) transaction
        return _identify(attempt, ctx, session)


AppDep = Annotated[AppIdentity, Depends(current_app)]
TransferAppDep = Annotated[AppIdentity, Depends(current_app_alone)]
"""For routes that wait on a transfer before touching the database; they open their transactions themselves."""
SessionlessAppDep = Annotated[AppIdentity, Depends(current_app_alone)]
"""For routes that never use the request's session (they read through ``Database.read``/``reading``)."""
