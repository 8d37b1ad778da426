"""OAuth2 bearer tokens: signed with the server's secret key, never stored.

A token carries its application, scopes, expiry and the application's secret *generation* (a digest of the stored
secret hash), so rotating the secret invalidates every token issued under the old one without a revocation list.
Like SCORM Cloud's, a token cannot be revoked otherwise: keep lifetimes short (they are capped by
``token_max_lifetime_seconds``).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from dataclasses import dataclass

from coursehost.kit import tokens

PURPOSE = "oauth-access-token"


def generation(secret_hash: str) -> str:
    return hashlib.sha256(f"token-generation:{secret_hash}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class AccessToken:
    app_id: str
    scopes: frozenset[str]
    expires: int
    generation: str


def issue(key: bytes, app_id: str, secret_hash: str, scopes: frozenset[str], lifetime: int) -> str:
    payload = {
        "app": app_id,
        "scp": sorted(scopes),
        # Rounded up: a token asked for N seconds is good for at least N seconds, never a fraction less.
        "exp": math.ceil(time.time()) + lifetime,
        "gen": generation(secret_hash),
        # Two tokens asked for in the same second still differ.
        "jti": secrets.token_urlsafe(8),
    }
    return tokens.sign(key, PURPOSE, payload)


def read(key: bytes, token: str, now: float | None = None) -> AccessToken | None:
    """The token's claims when this server signed it and it has not expired; None otherwise."""
    payload = tokens.verify(key, PURPOSE, token)
    if payload is None:
        return None
    app_id, scopes, expires, gen = payload.get("app"), payload.get("scp"), payload.get("exp"), payload.get("gen")
    if not (isinstance(app_id, str) and isinstance(scopes, list) and isinstance(expires, int) and isinstance(gen, str)):
        return None
    if expires <= (time.time() if now is None else now):
        return None
    return AccessToken(app_id, frozenset(s for s in scopes if isinstance(s, str)), expires, gen)


def same_generation(token: AccessToken, secret_hash: str) -> bool:
    return hmac.compare_digest(token.generation, generation(secret_hash))
