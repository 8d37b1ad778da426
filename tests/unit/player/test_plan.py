"""The plan a player session runs on: which run-time, the flattened tree, startSco."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from coursehost.courses.from_package import activity_to_wire
from coursehost.kit.errors import BadRequest
from coursehost.packages import open_archive
from coursehost.player.manifest import read_manifest
from coursehost.player.plan import build_nodes, find_start, launchable, media_kind, player_standard
from tests.support.packages import NS_12
from tests.unit.packages.builders import write_zip


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
def test_xapi_and_cmi5_play_with_the_lrs(kind: str, standard: str) -> None:
    # Issue 12: they were a 400 before the LRS existed (docs/xapi.md, "Launches").
    assert player_standard(kind, standard) == kind


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


def test_parent_items_with_a_resource_play_their_own_content_before_their_children(tmp_path: Path) -> None:
    # A manifest built in code the way eXe writes them: every item, parents included, references a resource.
    items = (
        '<item identifier="P" identifierref="RP"><title>Parent</title>'
        "<adlcp:masteryscore>60</adlcp:masteryscore><adlcp:datafromlms>parent-data</adlcp:datafromlms>"
        '<item identifier="C1" identifierref="RC1"><title>Child 1</title>'
        '<item identifier="G" identifierref="RG"><title>Grandchild</title></item></item>'
        '<item identifier="C2" identifierref="RC2"><title>Child 2</title></item></item>'
    )
    hrefs = {"RP": "p.html", "RC1": "c1.html", "RG": "g.html", "RC2": "c2.html"}
    resources = "".join(
        f'<resource identifier="{r}" type="webcontent" adlcp:scormtype="sco" href="{h}"/>' for r, h in hrefs.items()
    )
    manifest = (
        f'<manifest identifier="m" {NS_12}><metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion>'
        f'</metadata><organizations default="O"><organization identifier="O"><title>T</title>{items}'
        f"</organization></organizations><resources>{resources}</resources></manifest>"
    )
    files: dict[str, bytes | str] = {"imsmanifest.xml": manifest} | dict.fromkeys(hrefs.values(), "x")
    with open_archive(write_zip(tmp_path / "c.zip", files)) as archive:
        parsed = archive.parse("c")
    nodes = build_nodes(activity_to_wire(parsed.root_activity), read_manifest(manifest.encode()), "scorm12")
    assert [(n["id"], n["href"], n.get("own", False)) for n in nodes] == [
        ("O", None, False),
        ("P", None, False),
        ("P", "p.html", True),
        ("C1", None, False),
        ("C1", "c1.html", True),
        ("G", "g.html", False),
        ("C2", "c2.html", False),
    ]
    # Flow order: each parent's own page, then its children, depth first; nothing is unreachable.
    assert [nodes[i]["href"] for i in launchable(nodes)] == ["p.html", "c1.html", "g.html", "c2.html"]
    assert nodes[2]["data"] == {"launchData": "parent-data", "masteryScore": "60"}
    assert "data" not in nodes[1]
    assert find_start(nodes, "P") == 2  # startSco naming the parent item starts its own content
    assert find_start(nodes, "C1") == 4


def test_control_modes_stay_with_the_aggregation_not_its_own_content() -> None:
    tree = {
        "itemIdentifier": "org",
        "children": [
            {
                "itemIdentifier": "P",
                "children": [{"itemIdentifier": "P", "href": "p.html"}, {"itemIdentifier": "C", "href": "c.html"}],
            }
        ],
    }
    control = {"choice": True, "choiceExit": False, "flow": True, "forwardOnly": False}
    nodes = build_nodes(tree, {"P": {"control": control}}, "scorm2004")
    assert nodes[1]["control"] == control
    assert "control" not in nodes[2]
    assert nodes[2]["own"] is True
