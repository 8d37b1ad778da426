"""How a stored statement is answered: the ``format`` parameter (exact, ids, canonical with Accept-Language), and the
statement comparison PUT/POST use for an id that is already stored (xAPI 2.0.0 §4.1.6.1 and "Statement
Comparison Requirements"; 1.0.3 Data 2.3 and Communication 2.1.3). Pure functions."""

from __future__ import annotations

import copy
from typing import Any

from coursehost.xapi import formats

_IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
# Properties the LRS sets or may change; they do not make two statements differ.
_LRS_SET = ("id", "authority", "stored", "version")


def _actor_ids(actor: Any) -> Any:
    if not isinstance(actor, dict):
        return actor
    kind = actor.get("objectType", "Agent")
    shaped: dict[str, Any] = {"objectType": kind}
    shaped.update({k: actor[k] for k in _IFIS if k in actor})
    if kind == "Group" and not any(k in actor for k in _IFIS):
        shaped["member"] = [_actor_ids(m) for m in actor.get("member", [])]
    return shaped


def _object_ids(obj: dict[str, Any]) -> dict[str, Any]:
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        return {"id": obj["id"]}
    if kind in ("Agent", "Group"):
        return dict(_actor_ids(obj))
    if kind == "SubStatement":
        return _ids(obj)
    return obj


def _ids(st: dict[str, Any]) -> dict[str, Any]:
    shaped = dict(st)
    shaped["actor"] = _actor_ids(st["actor"])
    shaped["verb"] = {"id": st["verb"]["id"]}
    shaped["object"] = _object_ids(st["object"])
    if "authority" in st:
        shaped["authority"] = _actor_ids(st["authority"])
    context = st.get("context")
    if isinstance(context, dict):
        context = dict(context)
        for key in ("instructor", "team"):
            if key in context:
                context[key] = _actor_ids(context[key])
        if "contextActivities" in context:
            context["contextActivities"] = {
                key: [{"id": a["id"]} for a in (v if isinstance(v, list) else [v])]
                for key, v in context["contextActivities"].items()
            }
        for key, member in (("contextAgents", "agent"), ("contextGroups", "group")):
            if key in context:
                context[key] = [item | {member: _actor_ids(item[member])} for item in context[key]]
        shaped["context"] = context
    return shaped


def as_ids(statement: dict[str, Any]) -> dict[str, Any]:
    """``format=ids``: agents, groups, verbs and activities reduced to what identifies them."""
    return _ids(statement)


def pick_language(language_map: dict[str, str], preferred: list[str]) -> dict[str, str]:
    if not language_map:
        return language_map
    lowered = {tag.lower(): tag for tag in language_map}
    for wanted in preferred:
        wanted = wanted.lower()
        if wanted == "*":
            break
        if wanted in lowered:
            return {lowered[wanted]: language_map[lowered[wanted]]}
        for tag_lower, tag in lowered.items():
            if tag_lower.split("-")[0] == wanted.split("-")[0]:
                return {tag: language_map[tag]}
    first = next(iter(language_map))
    return {first: language_map[first]}


def accept_languages(header: str | None) -> list[str]:
    """Accept-Language's tags, best first (q values honoured; malformed entries dropped)."""
    weighted: list[tuple[float, int, str]] = []
    for index, entry in enumerate((header or "").split(",")):
        tag, _, params = entry.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and quality > 0:
            weighted.append((-quality, index, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


def as_canonical(statement: dict[str, Any], preferred: list[str]) -> dict[str, Any]:
    """``format=canonical``: every language map reduced to the one language the reader prefers."""
    shaped = copy.deepcopy(statement)

    def walk(node: Any, key: str | None = None) -> None:
        if isinstance(node, dict):
            for child_key, child in node.items():
                if (
                    child_key in ("display", "name", "description")
                    and isinstance(child, dict)
                    and all(isinstance(v, str) for v in child.values())
                ):
                    node[child_key] = pick_language(child, preferred)
                    continue
                if child_key != "extensions":
                    walk(child, child_key)
        elif isinstance(node, list):
            for item in node:
                walk(item, key)

    walk(shaped)
    return shaped


def _normalised(node: Any, key: str | None = None) -> Any:
    if isinstance(node, dict):
        if key == "contextActivities":  # a single context activity is the same as an array of one
            node = {k: v if isinstance(v, list) else [v] for k, v in node.items()}
        out = {k: _normalised(v, k) for k, v in node.items()}
        if key in (None, "object") and out.get("objectType") in (None, "Activity") and "id" in out:
            out.setdefault("objectType", "Activity")
        if "mbox_sha1sum" in out and isinstance(out["mbox_sha1sum"], str):
            out["mbox_sha1sum"] = out["mbox_sha1sum"].lower()
        return out
    if isinstance(node, list):
        return [_normalised(item) for item in node]
    return node


def comparable(statement: dict[str, Any]) -> dict[str, Any]:
    """What must be equal for two statements to be "the same statement": all but the properties the LRS sets,
    with timestamps compared as instants and an Activity object's default ``objectType`` spelled out."""
    st = {k: v for k, v in statement.items() if k not in _LRS_SET}
    if "timestamp" in st:
        moment = formats.parse_timestamp(st["timestamp"])
        st["timestamp"] = moment.isoformat() if moment else st["timestamp"]
    result_ = st.get("result")
    if isinstance(result_, dict) and isinstance(result_.get("duration"), str):
        st["result"] = result_ | {"duration": formats.comparable_duration(result_["duration"])}
    if isinstance(st.get("actor"), dict) and "objectType" not in st["actor"]:
        st["actor"] = st["actor"] | {"objectType": "Agent"}
    result: dict[str, Any] = _normalised(st)
    return result


def same_statement(stored: dict[str, Any], received: dict[str, Any]) -> bool:
    stored_cmp = comparable(stored)
    received_cmp = comparable(received)
    if "timestamp" not in received_cmp:  # the LRS set it when it stored the statement
        stored_cmp.pop("timestamp", None)
    return stored_cmp == received_cmp
