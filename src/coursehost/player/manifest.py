"""What the player needs from a SCORM manifest beyond the activity tree the importer keeps.

The import stores titles, hrefs and passing scores only. Launch data, time limits, completion thresholds, objective
ids, shared data maps, visibility, control modes and hidden navigation controls are read here, from the
``imsmanifest.xml`` stored with the version, when a player session starts; so courses imported before the player
existed play without re-import.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from coursehost.packages.base import PackageError
from coursehost.packages.xml import attr, child, children, local_name, parse_xml, text

# IMS Simple Sequencing defaults: a cluster without <controlMode> allows choice but not flow.
CONTROL_DEFAULTS = {"choice": True, "choiceExit": True, "flow": False, "forwardOnly": False}
HIDE_VALUES = ("previous", "continue", "exit", "exitAll", "abandon", "abandonAll", "suspendAll")


def read_manifest(data: bytes) -> dict[str, dict[str, Any]]:
    """Details by item (and organization) identifier; an unreadable manifest gives none rather than no player."""
    try:
        root = parse_xml(data, "imsmanifest.xml")
    except PackageError:
        return {}
    collection = {attr(s, "id") or "": s for s in children(child(root, "sequencingcollection"), "sequencing")}
    found: dict[str, dict[str, Any]] = {}
    for org in children(child(root, "organizations"), "organization"):
        _collect(org, collection, found)
    return found


def _collect(node: etree._Element, collection: dict[str, etree._Element], found: dict[str, dict[str, Any]]) -> None:
    identifier = attr(node, "identifier")
    if identifier and identifier not in found:
        found[identifier] = _details(node, _sequencing(node, collection))
    for item in children(node, "item"):
        _collect(item, collection, found)


def _sequencing(node: etree._Element, collection: dict[str, etree._Element]) -> list[etree._Element]:
    own = child(node, "sequencing")
    if own is None:
        return []
    shared = collection.get(attr(own, "idref") or "")
    # The item's own elements override those of the sequencingCollection entry it refers to.
    return [own] if shared is None else [own, shared]


def _first(nodes: list[etree._Element], name: str) -> etree._Element | None:
    return next((found for node in nodes if (found := child(node, name)) is not None), None)


def _flag(node: etree._Element, name: str, default: bool) -> bool:
    value = (attr(node, name) or "").strip().lower()
    return default if value not in ("true", "false", "1", "0") else value in ("true", "1")


def _details(node: etree._Element, sequencing: list[etree._Element]) -> dict[str, Any]:
    details: dict[str, Any] = {}
    mode = _first(sequencing, "controlmode")
    if mode is not None:
        details["control"] = {name: _flag(mode, name, default) for name, default in CONTROL_DEFAULTS.items()}
    if local_name(node) != "item":
        return details
    if _flag(node, "isvisible", True) is False:
        details["visible"] = False
    for key, element in (
        ("launchData", "datafromlms"),
        ("masteryScore", "masteryscore"),
        ("maxTimeAllowed", "maxtimeallowed"),
        ("timeLimitAction", "timelimitaction"),
    ):
        value = text(child(node, element))
        if value:
            details[key] = value
    limits = _first(sequencing, "limitconditions")
    duration = attr(limits, "attemptabsolutedurationlimit") if limits is not None else None
    if duration and "maxTimeAllowed" not in details:
        details["maxTimeAllowed"] = duration.strip()
    threshold = _threshold(child(node, "completionthreshold"))
    if threshold is not None:
        details["completionThreshold"] = threshold
    objectives = _objectives(_first(sequencing, "objectives"))
    if objectives:
        details["objectives"] = objectives
    shared = _shared_data(child(node, "data"))
    if shared:
        details["sharedData"] = shared
    hidden = _hidden(node)
    if hidden:
        details["hide"] = hidden
    return details


def _threshold(node: etree._Element | None) -> str | None:
    if node is None:
        return None
    if attr(node, "completedbymeasure") is not None or attr(node, "minprogressmeasure") is not None:
        # 4th edition: the threshold only applies when completion is determined by measure.
        if not _flag(node, "completedbymeasure", False):
            return None
        return (attr(node, "minprogressmeasure") or "1.0").strip()
    return text(node)  # 2nd and 3rd edition: the threshold is the element's text


def _objectives(node: etree._Element | None) -> list[str]:
    ids: list[str] = []
    for objective in children(node, "primaryobjective") + children(node, "objective"):
        identifier = (attr(objective, "objectiveid") or "").strip()
        if identifier and identifier not in ids:
            ids.append(identifier)
    return ids


def _shared_data(node: etree._Element | None) -> list[dict[str, Any]]:
    """``adlcp:data``: the shared data stores (``adl.data``) the item's SCO may use; both permissions default to
    true (CAM 3.4.1.x)."""
    stores: list[dict[str, Any]] = []
    for mapping in children(node, "map"):
        identifier = (attr(mapping, "targetid") or "").strip()
        if identifier and all(store["id"] != identifier for store in stores):
            stores.append(
                {
                    "id": identifier,
                    "readable": _flag(mapping, "readshareddata", True),
                    "writable": _flag(mapping, "writeshareddata", True),
                }
            )
    return stores


def _hidden(node: etree._Element) -> list[str]:
    interface = child(child(node, "presentation"), "navigationinterface")
    by_lower = {value.lower(): value for value in HIDE_VALUES}
    values = [by_lower.get((text(hide) or "").lower()) for hide in children(interface, "hidelmsui")]
    return sorted({value for value in values if value})
