"""Launch-link tokens, player sessions and the cookie that ties a session to the browser that opened the link.

A launch link carries a signed, expiring token (``kit.tokens``: HMAC-SHA256 with the server key, plus a random
nonce so no two links are alike). Opening it creates a ``player_sessions`` row whose random id appears in the
player's URLs and sets a cookie scoped to those URLs whose value is an HMAC of the id: knowing a content URL (say,
from a Referer) is not enough to use the session. The session's expiry slides forward while the learner is active,
within an absolute cap, so it outlives the short-lived link.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from coursehost.kit import tokens
from coursehost.kit.errors import BadRequest
from coursehost.kit.schemas import as_utc
from coursehost.models import PlayerSession
from coursehost.player import repository as repo

LAUNCH_PURPOSE = "player-launch"
COOKIE = "coursehost_player"
IDLE = timedelta(minutes=30)
LIFETIME = timedelta(hours=12)
# Extending the expiry on every content request would write on every file; once a minute is plenty.
TOUCH_AFTER = timedelta(seconds=60)


class PlayerError(Exception):
    """A player request that cannot be served; rendered as a page (or JSON for the player's own calls)."""

    def __init__(self, status: int, key: str) -> None:
        super().__init__(key)
        self.status = status
        self.key = key


def sign_launch(secret: bytes, payload: dict[str, Any], expiry_seconds: int) -> str:
    body = {**payload, "exp": int(time.time()) + expiry_seconds, "n": secrets.token_urlsafe(12)}
    return tokens.sign(secret, LAUNCH_PURPOSE, body)


def read_launch(secret: bytes, token: str) -> dict[str, Any]:
    try:
        payload = tokens.unsign(secret, LAUNCH_PURPOSE, token, "launch link")
        expires = int(payload["exp"])
    except (BadRequest, KeyError, TypeError, ValueError) as exc:
        raise PlayerError(403, "invalidLink") from exc
    if time.time() > expires:
        raise PlayerError(410, "expiredLink")
    return payload


def new_session_id() -> str:
    # Hex, so the id can be part of an AICC session id (which must be alphanumeric).
    return secrets.token_hex(20)


def cookie_value(secret: bytes, session_id: str) -> str:
    return hmac.new(secret, f"player-session.{session_id}".encode(), hashlib.sha256).hexdigest()


def cookie_path(session_id: str) -> str:
    return f"/player/s/{session_id}/"


def first_expiry(now: datetime) -> datetime:
    return now + IDLE


def active_session(
    session: Session, secret: bytes, session_id: str, cookie: str | None, now: datetime
) -> PlayerSession:
    """The session, if this browser holds its cookie and it has not expired; its expiry slides forward."""
    row = repo.get_session(session, session_id)
    if row is None:
        raise PlayerError(410, "sessionEnded")
    if not cookie or not hmac.compare_digest(cookie, cookie_value(secret, session_id)):
        raise PlayerError(403, "otherBrowser")
    check_alive(row, now)
    extend(session, row, now)
    return row


def check_alive(row: PlayerSession, now: datetime) -> None:
    if as_utc(row.expires) < now:
        raise PlayerError(410, "sessionEnded")


def extend(session: Session, row: PlayerSession, now: datetime) -> None:
    if now - as_utc(row.seen) < TOUCH_AFTER:
        return
    expires = min(now + IDLE, as_utc(row.created) + LIFETIME)
    repo.touch(session, row.id, now, expires)
    row.seen, row.expires = now, expires
