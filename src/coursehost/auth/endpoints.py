"""The two token operations: getAppToken (OAuth2 client-credentials shape) and createToken (App Management).

Both take the application's key and secret (HTTP Basic; the auth dependency refuses a bearer token here, so a token
can never mint a longer-lived one) and hand back a signed token limited to the scopes asked for, its lifetime cut to
``token_max_lifetime_seconds``. ``permissions.applicationName`` is ignored: the token is always for the
authenticated application.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form
from sqlalchemy.orm import Session

from coursehost.auth import tokens
from coursehost.auth.dependencies import AppDep, AppIdentity
from coursehost.auth.schemas import ApplicationToken, TokenRequestSchema, TokenResultSchema
from coursehost.auth.scopes import SCOPE_PATTERN
from coursehost.auth.service import find_application
from coursehost.context import Context, ContextDep, SessionDep
from coursehost.kit.errors import BadRequest, Unauthorized
from coursehost.kit.routing import checked_router
from coursehost.kit.schemas import as_utc
from coursehost.models import utcnow

router = checked_router()
MAX_SCOPES = 32


def _scopes(requested: list[str]) -> frozenset[str]:
    scopes = frozenset(s for s in requested if s)
    if not scopes:
        raise BadRequest("Ask for at least one scope, e.g. 'read:course write:course'")
    if len(scopes) > MAX_SCOPES:
        raise BadRequest(f"Ask for at most {MAX_SCOPES} scopes")
    bad = sorted(s for s in scopes if not SCOPE_PATTERN.match(s))
    if bad:
        raise BadRequest(f"Unknown scope {bad[0][:64]!r}; scopes look like read, write:course or admin")
    return scopes


def _issue(ctx: Context, session: Session, app: AppIdentity, scopes: frozenset[str], lifetime: int) -> tuple[str, int]:
    if lifetime <= 0:
        raise BadRequest("The token's lifetime must be positive")
    lifetime = min(lifetime, ctx.settings.token_max_lifetime_seconds)
    found = find_application(session, app.app_id)
    if found is None:  # deleted between authentication and now
        raise Unauthorized("Authorization Required.")
    return tokens.issue(ctx.settings.resolved_secret_key, app.app_id, found.secret_hash, scopes, lifetime), lifetime


@router.post(
    "/oauth/authenticate/application/token",
    operation_id="getAppToken",
    tags=["authentication"],
    response_model=ApplicationToken,
)
def get_app_token(
    ctx: ContextDep,
    session: SessionDep,
    app: AppDep,
    scope: Annotated[str, Form(description="Space-separated scopes, e.g. 'read:course write:course'")],
    expiration: Annotated[int | None, Form(description="Lifetime in seconds")] = None,
) -> ApplicationToken:
    scopes = _scopes(scope.replace(",", " ").split())
    asked = ctx.settings.token_default_lifetime_seconds if expiration is None else expiration
    token, lifetime = _issue(ctx, session, app, scopes, asked)
    return ApplicationToken(access_token=token, expires_in=lifetime)


@router.post(
    "/appManagement/token", operation_id="createToken", tags=["applicationManagement"], response_model=TokenResultSchema
)
def create_token(ctx: ContextDep, session: SessionDep, app: AppDep, body: TokenRequestSchema) -> TokenResultSchema:
    scopes = _scopes(body.permissions.scopes)
    lifetime = int((as_utc(body.expiry) - utcnow()).total_seconds())
    if lifetime <= 0:
        raise BadRequest("'expiry' must be in the future")
    token, _ = _issue(ctx, session, app, scopes, lifetime)
    return TokenResultSchema(result=token)
