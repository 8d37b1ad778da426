"""An xAPI statement (as the LRS stores it) in SCORM Cloud's XapiStatement form: the object under the key its
type names, context activities always lists, an agent's objectType always given (the models' defaults fill it)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

_COPIED = ("id", "actor", "verb", "result", "authority", "attachments")
_OBJECT_KEYS = {
    "Activity": "objectActivity",
    "Agent": "objectAgentGroup",
    "Group": "objectAgentGroup",
    "StatementRef": "objectStatementReference",
    "SubStatement": "objectSubStatement",
}
_CONTEXT_ACTIVITY_KINDS = ("parent", "grouping", "category", "other")


def to_wire(statement: Mapping[str, Any]) -> dict[str, Any]:
    wire = {key: statement[key] for key in _COPIED if key in statement}
    target = statement.get("object")
    if isinstance(target, Mapping):
        kind = target.get("objectType", "Activity")
        key = _OBJECT_KEYS.get(kind)
        if key is not None:
            wire[key] = to_wire(target) if kind == "SubStatement" else target
    context = statement.get("context")
    if isinstance(context, Mapping):
        wire["context"] = {**context, "contextActivities": _as_lists(context.get("contextActivities"))}
    for key in ("timestamp", "stored"):
        instant = _instant(statement.get(key))
        if instant is not None:
            wire[key] = instant
    return wire


def _as_lists(activities: Any) -> dict[str, Any] | None:
    """xAPI 1.0 allows one activity where a list is usual; the client reads lists only."""
    if not isinstance(activities, Mapping):
        return None
    return {
        kind: [value] if isinstance(value, Mapping) else value
        for kind in _CONTEXT_ACTIVITY_KINDS
        if (value := activities.get(kind)) is not None
    }


def _instant(value: Any) -> datetime | None:
    """An xAPI timestamp as a datetime; one Python cannot read (nanoseconds, say) is left out rather than failing
    the whole page (a statement's own timestamp and stored come from its row's columns instead)."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
