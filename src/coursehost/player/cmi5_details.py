"""What the player needs from a cmi5 course structure beyond the activity tree the importer keeps: each AU's
``moveOn``, ``launchMethod``, ``masteryScore``, ``launchParameters`` and ``entitlementKey`` (cmi5 §13.1.4), read
from the ``cmi5.xml`` stored with the version when a player session starts. The import already checked the
document against the spec, so this reads it leniently."""

from __future__ import annotations

import contextlib
from typing import Any

from lxml import etree

from coursehost.packages.base import PackageError
from coursehost.packages.xml import child, local_name, parse_xml


def read_cmi5(data: bytes) -> dict[str, dict[str, Any]]:
    """Details by AU id; an unreadable document gives none (the AUs then launch with the spec's defaults)."""
    try:
        root = parse_xml(data, "cmi5.xml")
    except PackageError:
        return {}
    found: dict[str, dict[str, Any]] = {}
    for node in root.iter():
        if not isinstance(node.tag, str) or local_name(node) != "au" or not node.get("id"):
            continue
        details: dict[str, Any] = {
            "moveOn": (node.get("moveOn") or "NotApplicable").strip(),
            "launchMethod": (node.get("launchMethod") or "AnyWindow").strip(),
        }
        mastery = node.get("masteryScore")
        if mastery is not None:
            with contextlib.suppress(ValueError):
                details["masteryScore"] = float(mastery)
        parameters = child(node, "launchparameters")
        if parameters is not None:
            details["launchParameters"] = _raw(parameters)
        key = child(node, "entitlementkey")
        if key is not None:
            details["entitlementKey"] = _raw(key)
        found[node.get("id", "").strip()] = details
    return found


def _raw(node: etree._Element) -> str:
    # Kept as written (only trimmed): the AU parses its own launch parameters.
    return "".join(t if isinstance(t, str) else t.decode() for t in node.itertext()).strip()
