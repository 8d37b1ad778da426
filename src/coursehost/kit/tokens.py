"""Opaque, tamper-proof tokens (pagination cursors, OAuth access tokens): base64url JSON plus an HMAC-SHA256 tag.

The purpose is part of the signed text, so a token made for one use is never accepted for another."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from coursehost.kit.errors import BadRequest


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(key: bytes, purpose: str, payload: dict[str, Any]) -> str:
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    tag = hmac.new(key, f"{purpose}.{body}".encode(), hashlib.sha256).digest()[:16]
    return f"{body}.{_b64(tag)}"


def verify(key: bytes, purpose: str, token: str) -> dict[str, Any] | None:
    """The payload of a token this key signed for this purpose, or None for anything else."""
    try:
        body, tag = token.split(".", 1)
        expected = hmac.new(key, f"{purpose}.{body}".encode(), hashlib.sha256).digest()[:16]
        if not hmac.compare_digest(expected, _unb64(tag)):
            return None
        payload = json.loads(_unb64(body))
    except (ValueError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None


def unsign(key: bytes, purpose: str, token: str, param: str = "more") -> dict[str, Any]:
    payload = verify(key, purpose, token)
    if payload is None:
        raise BadRequest(f"The '{param}' token is not valid: pass back the value from a previous page unchanged")
    return payload
