"""The credentials of launched content (a cmi5 AU's fetched token, a Tin Can launch's ``auth``) and the launches
they belong to: all SQL of ``xapi_launch_tokens``.

A credential is a random key (the Basic user name, ``launch-…``) and a random secret stored as its SHA-256: a
random 256-bit secret needs no slow hash. It works only while its player session lives (the row goes with the
session, and an expired session's rows are refused before housekeeping deletes them) and, for cmi5, until its AU
session was abandoned.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coursehost.kit.schemas import as_utc
from coursehost.models import PlayerSession, XapiLaunchToken

KEY_PREFIX = "launch-"


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def basic_token(key: str, secret: str) -> str:
    """What goes after ``Basic `` in the Authorization header (cmi5's ``auth-token``)."""
    return base64.b64encode(f"{key}:{secret}".encode()).decode()


def issue_credential(row: XapiLaunchToken) -> str:
    """Give the launch a credential; returns its Basic token (the secret is kept only as a digest)."""
    key, secret = KEY_PREFIX + secrets.token_hex(16), new_secret()
    row.key, row.secret_hash = key, digest(secret)
    return basic_token(key, secret)


def add(session: Session, row: XapiLaunchToken) -> None:
    session.add(row)
    session.flush()


def find_by_key(session: Session, app_pk: int, key: str, secret: str, now: datetime) -> XapiLaunchToken | None:
    """The launch whose credential this is, while its player session lives and its AU session was not abandoned."""
    found = session.execute(
        select(XapiLaunchToken, PlayerSession.expires)
        .join(PlayerSession, PlayerSession.id == XapiLaunchToken.session_id)
        .where(XapiLaunchToken.app_pk == app_pk, XapiLaunchToken.key == key)
    ).first()
    if found is None:
        return None
    row, expires = found
    if row.secret_hash is None or not hmac.compare_digest(row.secret_hash, digest(secret)):
        return None
    if as_utc(expires) < now or row.state.get("abandoned"):
        return None
    return row


def take_fetch(session: Session, fetch_secret: str, now: datetime) -> tuple[XapiLaunchToken | None, str | None]:
    """The launch a fetch URL names, and its new credential's Basic token if this request is the URL's first use
    (None after that: single use, by one conditional UPDATE, so two racing POSTs cannot both get a token). A
    launch whose player session ended or expired is not found."""
    found = session.execute(
        select(XapiLaunchToken, PlayerSession.expires)
        .join(PlayerSession, PlayerSession.id == XapiLaunchToken.session_id)
        .where(XapiLaunchToken.fetch_hash == digest(fetch_secret))
    ).first()
    if found is None or as_utc(found[1]) < now:
        return None, None
    row: XapiLaunchToken = found[0]
    key, secret = KEY_PREFIX + secrets.token_hex(16), new_secret()
    won = session.execute(
        update(XapiLaunchToken)
        .where(XapiLaunchToken.pk == row.pk, XapiLaunchToken.key.is_(None))
        .values(key=key, secret_hash=digest(secret))
        .returning(XapiLaunchToken.pk)
    ).first()
    if won is None:
        return row, None
    session.refresh(row)
    return row, basic_token(key, secret)


def launches(session: Session, session_id: str) -> list[XapiLaunchToken]:
    return list(
        session.scalars(
            select(XapiLaunchToken).where(XapiLaunchToken.session_id == session_id).order_by(XapiLaunchToken.pk)
        )
    )


def expired_launches(session: Session, now: datetime) -> list[XapiLaunchToken]:
    """The cmi5 launches of expired player sessions (housekeeping is about to delete them)."""
    return list(
        session.scalars(
            select(XapiLaunchToken)
            .join(PlayerSession, PlayerSession.id == XapiLaunchToken.session_id)
            .where(PlayerSession.expires < now, XapiLaunchToken.au_session.is_not(None))
            .order_by(XapiLaunchToken.pk)
        )
    )


def set_state(session: Session, row: XapiLaunchToken, state: dict[str, Any]) -> None:
    row.state = state
    session.flush()
