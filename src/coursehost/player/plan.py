"""The plan a player session runs on: the activity tree flattened in tree order, with what each activity launches.

Node indices are the keys of run-time data, stable for the session (a version's tree never changes). A node with an
``href`` is launchable; its ``data`` holds the run-time options that come from the package (mastery score, launch
data, time limits, thresholds, objective ids, shared data maps). Aggregations may carry SCORM 2004 control modes.

A manifest item with both children and a resource is imported as an aggregation whose first child, under the same
item identifier, is its own content. That child is marked ``own``: the outline shows it as the parent's own entry,
and the item's control modes stay with the aggregation, since they govern its children.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from coursehost.kit.errors import BadRequest
from coursehost.xapi.cmi5.statements import generated_id

SCORM_12 = ("SCORM11", "SCORM12")
MEDIA_KINDS = {".pdf": "pdf", ".mp3": "audio", ".mp4": "video"}
DETAIL_KEYS = (
    "launchData",
    "masteryScore",
    "maxTimeAllowed",
    "timeLimitAction",
    "completionThreshold",
    "objectives",
    "sharedData",
    # cmi5 (player/cmi5_details.py)
    "moveOn",
    "launchMethod",
    "launchParameters",
    "entitlementKey",
)
LRS_STANDARDS = ("cmi5", "xapi")


def player_standard(package_kind: str, learning_standard: str) -> str:
    """The run-time a version plays with: the SCORM run-times, AICC, media, or a launch that reports to the LRS
    (``cmi5``, ``xapi``: docs/xapi.md, "Launches")."""
    if package_kind == "media":
        return "media"
    if package_kind == "xapi" or learning_standard == "XAPI":
        return "xapi"
    if package_kind == "cmi5" or learning_standard == "CMI5":
        return "cmi5"
    if package_kind == "aicc" or learning_standard == "AICC":
        return "aicc"
    return "scorm12" if learning_standard in SCORM_12 else "scorm2004"


def media_kind(href: str) -> str:
    path = urlsplit(href).path if "://" in href else href.split("?", 1)[0]
    return MEDIA_KINDS.get(posixpath.splitext(path)[1].lower(), "video")


def build_nodes(
    root: Mapping[str, Any], details: Mapping[str, Mapping[str, Any]], standard: str, version_key: str = ""
) -> list[dict[str, Any]]:
    """The tree in order. cmi5 and xAPI nodes carry ``iri`` (the publisher's id: the AU, block or course id, the
    Tin Can activity id); cmi5 nodes also ``xapiId``, the LMS-generated id statements use (xapi/cmi5/statements.py),
    derived from ``version_key``."""
    nodes: list[dict[str, Any]] = []

    def visit(activity: Mapping[str, Any], parent: int, depth: int) -> None:
        index = len(nodes)
        identifier = activity.get("itemIdentifier") or ""
        extra = details.get(identifier, {})
        own = bool(identifier) and parent >= 0 and nodes[parent]["id"] == identifier and not activity.get("children")
        node: dict[str, Any] = {
            "title": activity.get("title") or identifier or "",
            "id": identifier,
            "parent": parent,
            "depth": depth,
            "href": activity.get("href") or None,
            "visible": extra.get("visible", True),
        }
        if own:
            node["own"] = True
        elif "control" in extra:
            node["control"] = extra["control"]
        if extra.get("hide"):
            node["hide"] = extra["hide"]
        iri = activity.get("externalIdentifier")
        if standard in LRS_STANDARDS and iri:
            node["iri"] = iri
            if standard == "cmi5":
                node["xapiId"] = generated_id(version_key, iri)
        if node["href"]:
            node["data"] = _data(activity, extra, standard)
            if standard == "media":
                node["media"] = media_kind(node["href"])
        nodes.append(node)
        for kid in activity.get("children") or []:
            visit(kid, index, depth + 1)

    visit(root, -1, 0)
    return nodes


def _data(activity: Mapping[str, Any], extra: Mapping[str, Any], standard: str) -> dict[str, Any]:
    data = {key: extra[key] for key in DETAIL_KEYS if key in extra}
    passing = activity.get("scaledPassingScore")
    if passing is not None and standard == "cmi5" and "masteryScore" not in data:
        data["masteryScore"] = float(passing)
    if passing is not None and standard == "scorm2004":
        data["scaledPassingScore"] = passing
    if passing is not None and standard in ("scorm12", "aicc") and "masteryScore" not in data:
        # The importer keeps masteryscore / Mastery_Score scaled to 0..1; the run-times want the 0..100 value.
        value = float(passing) * 100
        data["masteryScore"] = str(int(value)) if value.is_integer() else str(round(value, 4))
    return data


def find_start(nodes: list[dict[str, Any]], start_sco: str | None) -> int | None:
    """The node ``startSco`` names (by item identifier), or 400."""
    if not start_sco:
        return None
    for index, node in enumerate(nodes):
        if node["href"] and node["id"] == start_sco:
            return index
    raise BadRequest(f"startSco '{start_sco}' is not a launchable item of this course")


def launchable(nodes: list[dict[str, Any]]) -> list[int]:
    return [index for index, node in enumerate(nodes) if node["href"]]
