"""The key an agent or identified group is stored and compared under: its one inverse functional identifier."""

from __future__ import annotations

import hashlib
from typing import Any

# Keys longer than this are stored as a digest, so an account name of any length fits an indexed column.
_KEY_MAX = 256


def agent_key(agent: dict[str, Any]) -> str | None:
    """``mbox:…``, ``mbox_sha1sum:…``, ``openid:…`` or ``account:{homePage} {name}``; None for an anonymous group
    (or anything without an identifier). Validation has already made sure there is at most one."""
    key: str
    if isinstance(agent.get("mbox"), str):
        key = "mbox:" + agent["mbox"]
    elif isinstance(agent.get("mbox_sha1sum"), str):
        key = "mbox_sha1sum:" + agent["mbox_sha1sum"].lower()
    elif isinstance(agent.get("openid"), str):
        key = "openid:" + agent["openid"]
    elif isinstance(agent.get("account"), dict):
        account = agent["account"]
        key = f"account:{account.get('homePage', '')} {account.get('name', '')}"
    else:
        return None
    if len(key) > _KEY_MAX:
        key = "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    return key
