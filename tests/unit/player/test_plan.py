"""The plan a player session runs on: which run-time, the flattened tree, startSco."""

from __future__ import annotations

from typing import Any

import pytest

from coursehost.kit.errors import BadRequest
from coursehost.player.plan import build_nodes, find_start, launchable, media_kind, player_standard


@pytest.mark.parametrize(
    ("kind", "standard", "expected"),
    [
        ("scorm", "SCORM12", "scorm12"),
        ("scorm", "SCORM11", "scorm12"),
        ("scorm", "SCORM20043RDEDITION", "scorm2004"),
        ("aicc", "AICC", "aicc"),
        ("media", "CMI5", "media"),
    ],
)
def test_player_standard(kind: str, standard: str, expected: str) -> None:
    assert player_standard(kind, standard) == expected


@pytest.mark.parametrize(("kind", "standard"), [("xapi", "XAPI"), ("cmi5", "CMI5")])
def test_xapi_and_cmi5_are_refused(kind: str, standard: str) -> None:
    with pytest.raises(BadRequest, match="learning record store"):
        player_standard(kind, standard)


@pytest.mark.parametrize(
    ("href", "kind"),
    [("a.pdf", "pdf"), ("A.MP3", "audio"), ("clip.mp4", "video"), ("https://x.example/v.mp3?sig=1", "audio")],
)
def test_media_kind(href: str, kind: str) -> None:
    assert media_kind(href) == kind


def tree() -> dict[str, Any]:
    return {
        "itemIdentifier": "org",
        "title": "Course",
        "children": [
            {
                "itemIdentifier": "m1",
                "title": "Module",
                "children": [
                    {"itemIdentifier": "s1", "title": "One", "href": "one.html", "scaledPassingScore": "0.8"},
                    {"itemIdentifier": "s2", "title": "Two", "href": "two.html"},
                ],
            },
            {"itemIdentifier": "s3", "title": "Three", "href": "three.html"},
        ],
    }


def test_nodes_in_tree_order() -> None:
    nodes = build_nodes(
        tree(), {"s2": {"visible": False, "launchData": "x"}, "m1": {"control": {"flow": True}}}, "scorm12"
    )
    assert [(n["id"], n["parent"], n["depth"]) for n in nodes] == [
        ("org", -1, 0),
        ("m1", 0, 1),
        ("s1", 1, 2),
        ("s2", 1, 2),
        ("s3", 0, 1),
    ]
    assert launchable(nodes) == [2, 3, 4]
    assert nodes[1]["control"] == {"flow": True}
    assert nodes[2]["data"] == {"masteryScore": "80"}  # the importer's 0..1 back to SCORM 1.2's 0..100
    assert nodes[3]["visible"] is False
    assert nodes[3]["data"] == {"launchData": "x"}
    assert "data" not in nodes[1]


def test_2004_keeps_the_scaled_passing_score() -> None:
    nodes = build_nodes(tree(), {}, "scorm2004")
    assert nodes[2]["data"] == {"scaledPassingScore": "0.8"}


def test_find_start() -> None:
    nodes = build_nodes(tree(), {}, "scorm12")
    assert find_start(nodes, None) is None
    assert find_start(nodes, "s3") == 4
    with pytest.raises(BadRequest, match="startSco 'm1'"):
        find_start(nodes, "m1")  # an aggregation launches nothing
