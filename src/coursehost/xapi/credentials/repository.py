"""All SQL of xAPI credentials."""

from __future__ import annotations

import hmac

from sqlalchemy import select
from sqlalchemy.orm import Session

from coursehost.models import XapiCredential


def find_enabled_credential(session: Session, app_pk: int, key: str, secret: str) -> XapiCredential | None:
    """The application's enabled credential with this key, if ``secret`` is its secret (compared in constant time)."""
    credential = session.scalar(
        select(XapiCredential).where(XapiCredential.app_pk == app_pk, XapiCredential.credential_id == key)
    )
    if credential is None or not credential.enabled:
        return None
    return credential if hmac.compare_digest(credential.secret.encode(), secret.encode()) else None
