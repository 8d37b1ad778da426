"""SCORM Cloud's xAPI credential operations: create, list, read, create-or-update and delete an application's
credentials for its LRS (docs/xapi.md, "Credentials"). No SQL here (repository.py)."""

from __future__ import annotations

import secrets
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from coursehost.kit import tokens
from coursehost.kit.caps import XAPI_CREDENTIAL_ID_MAX
from coursehost.kit.errors import BadRequest, Conflict, NotFound
from coursehost.kit.schemas import as_utc
from coursehost.models import XapiCredential, utcnow
from coursehost.xapi.credentials import repository as repo
from coursehost.xapi.credentials.schemas import (
    AuthIn,
    XapiCredentialAuthTypeSchema,
    XapiCredentialPermissionsLevelSchema,
    XapiCredentialPostSchema,
    XapiCredentialPutSchema,
    XapiCredentialSchema,
    XapiCredentialsListSchema,
    auth_value,
    level_value,
)

_CURSOR = "xapi-credentials"
# The table's value for SCORM Cloud's BASICAUTH (the only kind the LRS checks).
_BASIC = "BASIC"


def not_found(credential_id: str) -> NotFound:
    return NotFound(f"Could not find xAPI credential [{credential_id}]")


def to_schema(row: XapiCredential) -> XapiCredentialSchema:
    return XapiCredentialSchema(
        id=row.credential_id,
        name=row.name,
        info=row.info,
        secret=row.secret,
        is_enabled=row.enabled,
        auth=XapiCredentialAuthTypeSchema(xapi_credential_auth_type="BASICAUTH"),
        permissions_level=XapiCredentialPermissionsLevelSchema(xapi_credential_permissions_level=row.permissions_level),
    )


def _new_secret() -> str:
    return secrets.token_urlsafe(24)


def _check_auth(value: AuthIn | None) -> None:
    if auth_value(value) == "OAUTH":
        raise BadRequest("'auth' OAUTH is not supported: this LRS takes HTTP Basic credentials only (BASICAUTH)")


def _check_id(app_id: str, credential_id: str) -> None:
    """An id the LRS can read back from a Basic header, and never the application's own key (which is ROOT)."""
    if not credential_id or credential_id != credential_id.strip():
        raise BadRequest("'xapiCredentialId' must not be empty or start or end with white space")
    if len(credential_id) > XAPI_CREDENTIAL_ID_MAX:
        raise BadRequest(f"'xapiCredentialId' is longer than {XAPI_CREDENTIAL_ID_MAX} characters")
    if ":" in credential_id:
        raise BadRequest("'xapiCredentialId' must not contain ':' (it is the user name of HTTP Basic credentials)")
    if not credential_id.isprintable():
        raise BadRequest("'xapiCredentialId' must not contain control characters")
    if credential_id == app_id:
        raise BadRequest("'xapiCredentialId' must not be the application's id (that key is the LRS's ROOT key)")


def create(session: Session, app_pk: int, app_id: str, body: XapiCredentialPostSchema) -> str:
    _check_auth(body.auth)
    while True:
        credential_id = secrets.token_urlsafe(15)
        if credential_id != app_id and not repo.exists(session, app_pk, credential_id):
            break
    now = utcnow()
    row = XapiCredential(
        app_pk=app_pk,
        credential_id=credential_id,
        name=body.name,
        info=body.info or "",
        secret=body.secret or _new_secret(),
        enabled=body.is_enabled,
        auth=_BASIC,
        permissions_level=level_value(body.permissions_level) or "DEFAULT",
        created=now,
        updated=now,
    )
    if not repo.insert(session, row):
        raise Conflict(f"An xAPI credential [{credential_id}] was created at the same time; try again")
    return credential_id


def get(session: Session, app_pk: int, credential_id: str) -> XapiCredentialSchema:
    row = repo.find(session, app_pk, credential_id)
    if row is None:
        raise not_found(credential_id)
    return to_schema(row)


def put(session: Session, app_pk: int, app_id: str, credential_id: str, body: XapiCredentialPutSchema) -> None:
    """SCORM Cloud's setXapiCredential: "Creates or updates" the credential with this id."""
    if body.id is not None and body.id != credential_id:
        raise BadRequest(f"'id' [{body.id}] differs from the path's xapiCredentialId [{credential_id}]")
    _check_auth(body.auth)
    level = level_value(body.permissions_level)
    row = repo.find(session, app_pk, credential_id)
    if row is None:
        _check_id(app_id, credential_id)
        if body.name is None:
            raise BadRequest("'name' is required to create an xAPI credential")
        now = utcnow()
        row = XapiCredential(
            app_pk=app_pk,
            credential_id=credential_id,
            name=body.name,
            info=body.info or "",
            secret=body.secret or _new_secret(),
            enabled=True if body.is_enabled is None else body.is_enabled,
            auth=_BASIC,
            permissions_level=level or "DEFAULT",
            created=now,
            updated=now,
        )
        if not repo.insert(session, row):
            raise Conflict(f"The xAPI credential [{credential_id}] was created by another request at the same time")
        return
    if body.name is not None:
        row.name = body.name
    if body.info is not None:
        row.info = body.info
    if body.secret:
        row.secret = body.secret
    if body.is_enabled is not None:
        row.enabled = body.is_enabled
    if level is not None:
        row.permissions_level = level
    row.updated = utcnow()


def delete(session: Session, app_pk: int, credential_id: str) -> None:
    if not repo.remove(session, app_pk, credential_id):
        raise not_found(credential_id)


def _iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value is not None else None


def _restore(state: dict[str, Any]) -> tuple[repo.CredentialQuery, tuple[Any, int]]:
    q = dict(state["q"])
    for name in ("since", "until"):
        q[name] = datetime.fromisoformat(q[name]) if q[name] else None
    query = repo.CredentialQuery(**q)
    value, pk = state["k"]
    if not query.order_by.startswith("name"):
        value = datetime.fromisoformat(value)
    return query, (value, int(pk))


def list_credentials(
    session: Session,
    app_pk: int,
    secret: bytes,
    page_size: int,
    query: repo.CredentialQuery,
    *,
    more: str | None,
    include_total: bool,
) -> tuple[XapiCredentialsListSchema, int | None]:
    after: tuple[Any, int] | None = None
    if more:
        state = tokens.unsign(secret, _CURSOR, more)
        try:
            query, after = _restore(state)
            if state["app"] != app_pk:
                raise ValueError("token from another application")
        except (KeyError, TypeError, ValueError) as exc:
            raise BadRequest("The 'more' token is not valid for this request") from exc
        include_total = False
    rows = repo.page(session, app_pk, query, after, page_size + 1)
    shown, has_more = rows[:page_size], len(rows) > page_size
    token = None
    if has_more:
        last = shown[-1]
        key = getattr(last, query.order_by.rsplit("_", 1)[0])
        state = {
            "app": app_pk,
            "q": {**asdict(query), "since": _iso(query.since), "until": _iso(query.until)},
            "k": [_iso(key) if isinstance(key, datetime) else key, last.pk],
        }
        token = tokens.sign(secret, _CURSOR, state)
    total = repo.count(session, app_pk, query) if include_total else None
    return XapiCredentialsListSchema(xapi_credentials=[to_schema(r) for r in shown], more=token), total
