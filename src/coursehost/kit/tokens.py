"""Opaque, tamper-proof tokens (pagination cursors): base64url JSON plus an HMAC-SHA256 tag."""

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


def unsign(key: bytes, purpose: str, token: str, param: str = "more") -> dict[str, Any]:
    try:
        body, tag = token.split(".", 1)
        expected = hmac.new(key, f"{purpose}.{body}".encode(), hashlib.sha256).digest()[:16]
        if not hmac.compare_digest(expected, _unb64(tag)):
            raise ValueError("signature mismatch")
        payload = json.loads(_unb64(body))
        if not isinstance(payload, dict):
            raise ValueError("not an object")
        return payload
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(
            f"The '{param}' token is not valid: pass back the value from a previous page unchanged"
        ) from exc
