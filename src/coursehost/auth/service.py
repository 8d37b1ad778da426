"""Applications and their credentials.

Secrets are 256-bit random tokens, not passwords, so a single SHA-256 is enough to make a leaked database useless
to an attacker; a slow password hash would only cost every API request a few milliseconds.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from coursehost.auth import repository as repo
from coursehost.kit import invalidation
from coursehost.models import Application

# The cache-event topic of an application's credentials (key: its app id): what authentication caches
# (auth/dependencies.py) drop when a secret changes or an application goes.
APPLICATIONS = "app"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewApplication:
    app_id: str
    name: str
    secret_key: str


def create_application(session: Session, name: str) -> NewApplication:
    app_id = secrets.token_hex(8).upper()
    secret = secrets.token_urlsafe(32)
    repo.insert(session, app_id, name, hash_secret(secret))
    return NewApplication(app_id=app_id, name=name, secret_key=secret)


def list_applications(session: Session) -> list[Application]:
    return repo.all_applications(session)


def authenticate(session: Session, app_id: str, secret: str) -> Application | None:
    app = repo.by_app_id(session, app_id)
    expected = app.secret_hash if app else hash_secret(secrets.token_urlsafe(32))
    # Compare even when the app is unknown, so timing does not reveal which app ids exist.
    ok = hmac.compare_digest(expected, hash_secret(secret))
    return app if app is not None and ok else None


def find_application(session: Session, app_id: str) -> Application | None:
    return repo.by_app_id(session, app_id)


def rotate_secret(session: Session, app_id: str) -> NewApplication | None:
    """Give the application a new secret key. The old key stops working once the transaction commits, and so does
    every token issued under it (tokens carry a digest of the secret hash they were issued under): authentication
    caches of this process drop the application at commit, those of other processes at their next poll."""
    app = find_application(session, app_id)
    if app is None:
        return None
    secret = secrets.token_urlsafe(32)
    repo.set_secret_hash(session, app, hash_secret(secret))
    invalidation.publish(session, APPLICATIONS, app.app_id)
    return NewApplication(app_id=app.app_id, name=app.name, secret_key=secret)
