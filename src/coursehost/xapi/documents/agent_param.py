"""The ``agent`` query parameter of the document and agents resources: an Agent (or identified Group) as JSON.

Small on purpose: it checks what an agent parameter must be to name one owner (exactly one inverse functional
identifier, each of the right form). The statement validator checks statements; the two are to be unified.
"""

from __future__ import annotations

import json
import re
from typing import Any

from coursehost.kit.errors import BadRequest
from coursehost.kit.routing import check_json_text

_IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
_AGENT_KEYS = {"objectType", "name", *_IFIS}
_GROUP_KEYS = _AGENT_KEYS | {"member"}
_SHA1 = re.compile(r"[0-9a-fA-F]{40}")
# An absolute IRI: a scheme, a colon and something after it (RFC 3987's scheme rule).
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S+")


def is_iri(value: Any) -> bool:
    return isinstance(value, str) and _IRI.fullmatch(value) is not None


def parse_agent(raw: str, *, allow_group: bool = True, name: str = "agent") -> dict[str, Any]:
    """The agent a parameter names, or 400 saying what is wrong with it."""
    try:
        agent = json.loads(raw)
    except (ValueError, RecursionError):
        raise BadRequest(f"Parameter '{name}' is not JSON") from None
    check_agent(agent, allow_group=allow_group, where=name)
    # An escaped lone surrogate ("\ud800") is valid JSON but no text a database stores: 400, not a database error.
    check_json_text(agent, "parameter")
    return agent  # type: ignore[no-any-return]


def check_agent(agent: Any, *, allow_group: bool, where: str) -> None:
    if not isinstance(agent, dict):
        raise BadRequest(f"'{where}' must be a JSON object (an Agent)")
    object_type = agent.get("objectType", "Agent")
    if object_type not in (("Agent", "Group") if allow_group else ("Agent",)):
        raise BadRequest(f"'{where}.objectType' must be 'Agent'" + (" or 'Group'" if allow_group else ""))
    allowed = _GROUP_KEYS if object_type == "Group" else _AGENT_KEYS
    unknown = sorted(set(agent) - allowed)
    if unknown:
        raise BadRequest(f"'{where}' has properties an {object_type} does not: {', '.join(unknown)}")
    present = [key for key in _IFIS if key in agent]
    if len(present) != 1:
        raise BadRequest(
            f"'{where}' must have exactly one inverse functional identifier (mbox, mbox_sha1sum, openid or "
            f"account); it has {len(present) or 'none'}" + (f" ({', '.join(present)})" if present else "")
        )
    if "name" in agent and not isinstance(agent["name"], str):
        raise BadRequest(f"'{where}.name' must be a string")
    _check_ifi(present[0], agent[present[0]], where)
    if object_type == "Group" and "member" in agent:
        members = agent["member"]
        if not isinstance(members, list):
            raise BadRequest(f"'{where}.member' must be an array of Agents")
        for i, member in enumerate(members):
            check_agent(member, allow_group=False, where=f"{where}.member[{i}]")


def _check_ifi(key: str, value: Any, where: str) -> None:
    if key == "mbox":
        if not (isinstance(value, str) and value.startswith("mailto:") and "@" in value[7:]):
            raise BadRequest(f"'{where}.mbox' must be a mailto: IRI (mailto:name@example.com)")
    elif key == "mbox_sha1sum":
        if not (isinstance(value, str) and _SHA1.fullmatch(value)):
            raise BadRequest(f"'{where}.mbox_sha1sum' must be 40 hexadecimal digits (a SHA-1)")
    elif key == "openid":
        if not is_iri(value):
            raise BadRequest(f"'{where}.openid' must be an absolute IRI")
    else:
        if not isinstance(value, dict) or set(value) != {"homePage", "name"}:
            raise BadRequest(f"'{where}.account' must be an object with exactly homePage and name")
        if not is_iri(value["homePage"]):
            raise BadRequest(f"'{where}.account.homePage' must be an absolute IRI")
        if not isinstance(value["name"], str) or not value["name"]:
            raise BadRequest(f"'{where}.account.name' must be a non-empty string")
