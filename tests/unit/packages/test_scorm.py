from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from coursehost.packages import Activity, CourseMetadata, ParsedCourse
from coursehost.packages.base import LearningStandard, PackageError
from tests.support.packages import data_package
from tests.unit.packages.builders import (
    HTML,
    NS_11,
    NS_12,
    NS_2004,
    item,
    manifest,
    organization,
    organizations,
    parse_package,
    parse_zip,
    resource,
    resources,
    single_sco_12,
    write_zip,
)


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def sequencing(measure: str | None, satisfied_by_measure: str = "true", idref: str | None = None) -> str:
    measure_xml = f"<imsss:minNormalizedMeasure>{measure}</imsss:minNormalizedMeasure>" if measure is not None else ""
    idref_attr = f' IDRef="{idref}"' if idref else ""
    return (
        f"<imsss:sequencing{idref_attr}><imsss:objectives>"
        f'<imsss:primaryObjective objectiveID="PRIMARY" satisfiedByMeasure="{satisfied_by_measure}">{measure_xml}'
        "</imsss:primaryObjective></imsss:objectives></imsss:sequencing>"
    )


def manifest_2004(*items: str, schemaversion: str | None = "2004 3rd Edition", extra: str = "") -> str:
    body = organizations(organization(*items)) + resources(resource("RES_1", "index.html", type_attr="scormType"))
    return manifest(body + extra, schemaversion=schemaversion, namespaces=NS_2004)


# --- SCORM 1.2 ---------------------------------------------------------------------------------------------------


def test_scorm12_single_sco(tmp_path: Path) -> None:
    parsed = parse_package(tmp_path, single_sco_12())
    assert parsed == ParsedCourse(
        standard="SCORM12",
        title="Test Course",
        root_activity=Activity(
            title="Test Course",
            activity_type="AGGREGATION",
            item_identifier="ORG",
            children=[
                Activity(
                    title="ITEM_1 title",
                    activity_type="SCO",
                    item_identifier="ITEM_1",
                    resource_identifier="RES_1",
                    href="index.html",
                )
            ],
        ),
        package_identifier="MANIFEST-1",
    )


def test_scorm12_multilevel_package(tmp_path: Path) -> None:
    # tests/data/packages/scorm12-multilevel: a module, mastery scores, a resource without scormtype, LOM in a file.
    parsed, files = parse_zip(write_bytes(tmp_path / "knots.zip", data_package("scorm12-multilevel")))
    assert (parsed.standard, parsed.title, parsed.package_identifier) == (
        "SCORM12",
        "Sailing Knots",
        "com.example.knots",
    )
    assert _shape(parsed.root_activity) == [
        ("AGGREGATION", "knots", None, None), None, [
            [("AGGREGATION", "module-1", None, None), None, [
                [("SCO", "bowline", "res-bowline", "bowline.html"), None, []],
                # SCORM 1.2: a resource without adlcp:scormtype is an asset.
                [("ASSET", "cleat", "res-cleat", "cleat.html"), "0.755", []],
            ]],
            [("SCO", "quiz", "res-quiz", "quiz/index.html"), "0.8", []],
            [("SCO", "exam", "res-quiz", "quiz/index.html"), "1", []],
        ],
    ]  # fmt: skip
    assert [a.title for a in parsed.root_activity.children] == ["Basic knots", "Knot quiz", "Final exam"]
    assert parsed.metadata == CourseMetadata(
        title="Sailing Knots for Beginners",
        title_language="en-GB",
        description="Four knots every sailor ties.",
        description_language="en-GB",
        keywords=["sailing", "knots"],
    )
    assert parsed.languages == ["en-GB"]
    assert parsed.warnings == []
    assert sorted(files) == sorted(
        ["bowline.html", "cleat.html", "imsmanifest.xml", "metadata/course.xml", "quiz/index.html", "shared/style.css"]
    )


def test_scorm12_invalid_masteryscore_is_ignored_with_a_warning(tmp_path: Path) -> None:
    body = organizations(organization(item("ITEM_1", "RES_1", "<adlcp:masteryscore>high</adlcp:masteryscore>")))
    parsed = parse_package(tmp_path, manifest(body + resources(resource("RES_1", "index.html"))))
    assert parsed.root_activity.children[0].scaled_passing_score is None
    assert parsed.warnings == ["Item 'ITEM_1' has an invalid masteryscore 'high'; ignored."]


def _shape(activity: Activity) -> list[Any]:
    own = (activity.activity_type, activity.item_identifier, activity.resource_identifier, activity.href)
    return [own, activity.scaled_passing_score, [_shape(kid) for kid in activity.children]]


@pytest.mark.parametrize("version", ["1.2", "2004 3rd Edition"])
def test_parent_items_with_a_resource_launch_their_own_content_first(tmp_path: Path, version: str) -> None:
    # Every item references a resource, as eXe writes them: a parent's own page must stay reachable.
    mastery = "<adlcp:masteryscore>70</adlcp:masteryscore>" if version == "1.2" else ""
    tree = item(
        "L1",
        "R1",
        item("L2", "R2", item("L3", "R3", extra='parameters="?page=3"'), title="Level 2"),
        item("L2B", "R4"),
        mastery,
        title="Level 1",
    )
    body = organizations(organization(tree, item("SOLO", "R5"))) + resources(
        *(resource(f"R{n}", f"p{n}.html", scormtype, type_attr="scormtype" if version == "1.2" else "scormType")
          for n, scormtype in ((1, "sco"), (2, "asset"), (3, "sco"), (4, "sco"), (5, "sco")))
    )  # fmt: skip
    namespaces = NS_12 if version == "1.2" else NS_2004
    files = {"imsmanifest.xml": manifest(body, schemaversion=version, namespaces=namespaces)}
    files |= {f"p{n}.html": HTML for n in range(1, 6)}
    parsed = parse_zip(write_zip(tmp_path / "c.zip", files))[0]
    score = "0.7" if version == "1.2" else None
    assert _shape(parsed.root_activity)[2] == [
        [("AGGREGATION", "L1", None, None), None, [
            [("SCO", "L1", "R1", "p1.html"), score, []],
            [("AGGREGATION", "L2", None, None), None, [
                [("ASSET", "L2", "R2", "p2.html"), None, []],
                [("SCO", "L3", "R3", "p3.html?page=3"), None, []],
            ]],
            [("SCO", "L2B", "R4", "p4.html"), None, []],
        ]],
        [("SCO", "SOLO", "R5", "p5.html"), None, []],
    ]  # fmt: skip
    l1 = parsed.root_activity.children[0]
    assert [l1.title, l1.children[0].title, l1.children[1].children[0].title] == ["Level 1", "Level 1", "Level 2"]
    assert parsed.warnings == [
        "Items 'L1', 'L2' have child items and a resource; each one's own content is launched as its first child, "
        "before the others."
    ]


def test_leaf_item_without_resource_is_kept_with_a_warning(tmp_path: Path) -> None:
    body = organizations(organization(item("EMPTY"), item("ITEM_1", "RES_1"))) + resources(
        resource("RES_1", "index.html")
    )
    parsed = parse_package(tmp_path, manifest(body))
    assert parsed.root_activity.children[0].activity_type == "AGGREGATION"
    assert parsed.warnings == ["Item 'EMPTY' has no child items and no resource, so it launches nothing."]


# --- SCORM 2004 --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schemaversion", "standard"),
    [
        ("CAM 1.3", "SCORM20042NDEDITION"),
        ("2004 2nd Edition", "SCORM20042NDEDITION"),
        ("2004 3rd Edition", "SCORM20043RDEDITION"),
        ("2004 4th Edition", "SCORM20044THEDITION"),
        (" 2004  4th   edition ", "SCORM20044THEDITION"),
    ],
)
def test_scorm2004_editions_with_primary_objective(
    tmp_path: Path, schemaversion: str, standard: LearningStandard
) -> None:
    xml = manifest_2004(item("ITEM_1", "RES_1", sequencing("0.60")), schemaversion=schemaversion)
    parsed = parse_package(tmp_path, xml)
    assert parsed.standard == standard
    assert parsed.warnings == []
    sco = parsed.root_activity.children[0]
    assert (sco.activity_type, sco.href, sco.scaled_passing_score) == ("SCO", "index.html", "0.6")


@pytest.mark.parametrize(
    ("sequencing_xml", "expected"),
    [
        (sequencing("0.8", satisfied_by_measure="false"), None),
        (sequencing(None), "1"),  # IMS SS default for minNormalizedMeasure
        (sequencing("-0.5"), "-0.5"),
        ("", None),
    ],
)
def test_scorm2004_passing_score_rules(tmp_path: Path, sequencing_xml: str, expected: str | None) -> None:
    parsed = parse_package(tmp_path, manifest_2004(item("ITEM_1", "RES_1", sequencing_xml)))
    assert parsed.root_activity.children[0].scaled_passing_score == expected


def test_scorm2004_sequencing_package(tmp_path: Path) -> None:
    # tests/data/packages/scorm2004-sequencing: rules shared through a sequencingCollection, xml:base, parameters.
    parsed = parse_zip(write_bytes(tmp_path / "tides.zip", data_package("scorm2004-sequencing")))[0]
    assert (parsed.standard, parsed.title) == ("SCORM20044THEDITION", "Reading the Tides")
    assert _shape(parsed.root_activity)[2] == [
        [("AGGREGATION", "lessons", None, None), None, [
            # Both lessons take their primary objective's 0.5 from the collection's "lesson-rules" (IDRef).
            [("SCO", "lesson-1", "res-lesson", "content/lesson.html?page=1"), "0.5", []],
            [("SCO", "lesson-2", "res-lesson", "content/lesson.html?page=2"), "0.5", []],
        ]],
        [("SCO", "test", "res-test", "content/test.html"), "0.7", []],
    ]  # fmt: skip
    assert parsed.warnings == []


def test_scorm2004_invalid_measure_is_ignored_with_a_warning(tmp_path: Path) -> None:
    parsed = parse_package(tmp_path, manifest_2004(item("ITEM_1", "RES_1", sequencing("1.5"))))
    assert parsed.root_activity.children[0].scaled_passing_score is None
    assert parsed.warnings == ["Item 'ITEM_1' has an invalid minNormalizedMeasure '1.5'; ignored."]


@pytest.mark.parametrize(
    ("namespaces", "standard", "reason"),
    [
        (NS_2004, "SCORM20043RDEDITION", "read as SCORM 2004 3rd Edition because it uses SCORM 2004 namespaces"),
        (NS_12, "SCORM12", "read as SCORM 1.2 because it uses SCORM 1.2 namespaces"),
        (NS_11, "SCORM11", "read as SCORM 1.1 because it uses SCORM 1.1 namespaces"),
        # A common misspelling of the 1.2 namespace, which must not be mistaken for 1.1's.
        (NS_12.replace("adlcp_rootv1p2", "adlcp_rootv1p1p2"), "SCORM12", "because it uses SCORM 1.2 namespaces"),
        ("", "SCORM12", "read as SCORM 1.2 because nothing in it points to SCORM 2004"),
    ],
)
def test_missing_schemaversion_is_inferred_with_a_warning(
    tmp_path: Path, namespaces: str, standard: LearningStandard, reason: str
) -> None:
    res = resource("RES_1", "index.html", None, attrs='scormType="sco"')
    body = organizations(organization(item("ITEM_1", "RES_1"))) + resources(res)
    parsed = parse_package(tmp_path, manifest(body, schemaversion=None, namespaces=namespaces))
    assert parsed.standard == standard
    assert len(parsed.warnings) == 1
    assert parsed.warnings[0].startswith("The manifest has no schemaversion; it was read as ")
    assert parsed.warnings[0].endswith(f"{reason}.")
    # Attributes are matched by local name and case, with or without the adlcp prefix.
    assert parsed.root_activity.children[0].activity_type == "SCO"


def test_scorm11_by_schemaversion(tmp_path: Path) -> None:
    body = organizations(organization(item("ITEM_1", "RES_1", "<adlcp:masteryscore>70</adlcp:masteryscore>")))
    xml = manifest(body + resources(resource("RES_1", "index.html")), schemaversion="1.1", namespaces=NS_11)
    parsed = parse_package(tmp_path, xml)
    assert (parsed.standard, parsed.warnings) == ("SCORM11", [])
    assert parsed.root_activity.children[0].scaled_passing_score == "0.7"


def test_scorm11_by_schema_name(tmp_path: Path) -> None:
    xml = single_sco_12().replace(
        "<schema>ADL SCORM</schema><schemaversion>1.2</schemaversion>", "<schema>ADL SCORM 1.1</schema>"
    )
    xml = xml.replace(NS_12, 'xmlns:adlcp="urn:unknown"')
    parsed = parse_package(tmp_path, xml)
    assert parsed.standard == "SCORM11"
    assert parsed.warnings == [
        "The manifest has no schemaversion; it was read as SCORM 1.1 because its schema is 'ADL SCORM 1.1'."
    ]


def test_declared_schemaversion_beats_namespaces(tmp_path: Path) -> None:
    xml = manifest(organizations(organization(item("ITEM_1", "RES_1"))) + resources(resource("RES_1", "index.html")))
    assert parse_package(tmp_path, xml.replace(NS_12, NS_11)).standard == "SCORM12"


def test_4th_edition_inferred_from_its_features(tmp_path: Path) -> None:
    threshold = '<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.8"/>'
    xml = manifest_2004(item("ITEM_1", "RES_1", threshold), schemaversion=None)
    parsed = parse_package(tmp_path, xml)
    assert parsed.standard == "SCORM20044THEDITION"
    assert parsed.warnings == [
        "The manifest has no schemaversion; it was read as SCORM 2004 4th Edition "
        "because it uses SCORM 2004 4th Edition features."
    ]


def test_unrecognised_schemaversion(tmp_path: Path) -> None:
    parsed = parse_package(tmp_path, manifest_2004(item("ITEM_1", "RES_1"), schemaversion="2004 5th Edition"))
    assert parsed.standard == "SCORM20043RDEDITION"
    assert parsed.warnings[0].startswith("The manifest has an unrecognised schemaversion '2004 5th Edition'")


# --- organizations -----------------------------------------------------------------------------------------------


def test_default_organization_is_used(tmp_path: Path) -> None:
    orgs = organizations(
        organization(item("A_1", "RES_1"), identifier="ORG_A", title="First"),
        organization(item("B_1", "RES_1"), identifier="ORG_B", title="Second"),
        default="ORG_B",
    )
    parsed = parse_package(tmp_path, manifest(orgs + resources(resource("RES_1", "index.html"))))
    assert (parsed.title, parsed.root_activity.item_identifier, parsed.warnings) == ("Second", "ORG_B", [])


def test_default_organization_pointing_nowhere(tmp_path: Path) -> None:
    orgs = organizations(
        organization(item("A_1", "RES_1"), identifier="ORG_A", title="First"),
        organization(item("B_1", "RES_1"), identifier="ORG_B", title="Second"),
        default="ORG_MISSING",
    )
    parsed = parse_package(tmp_path, manifest(orgs + resources(resource("RES_1", "index.html"))))
    assert parsed.root_activity.item_identifier == "ORG_A"
    assert parsed.warnings == [
        "The default organization 'ORG_MISSING' does not exist; the first organization ('ORG_A') was used instead."
    ]


def test_title_falls_back_to_lom_then_course_id(tmp_path: Path) -> None:
    lom = (
        '<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general>'
        '<title><string language="en-GB">Catalogue title</string></title>'
        '<language>en-GB</language><description><string language="en-GB">About it</string></description>'
        '<keyword><string language="en-GB">golf</string></keyword></general></lom>'
    )
    untitled = organizations(organization(item("ITEM_1", "RES_1"), title=None))
    res = resources(resource("RES_1", "index.html"))
    parsed = parse_package(tmp_path, manifest(untitled + res, metadata=lom))
    assert (parsed.title, parsed.root_activity.title) == ("Catalogue title", "ORG")
    assert parsed.metadata == CourseMetadata(
        title="Catalogue title",
        title_language="en-GB",
        description="About it",
        description_language="en-GB",
        keywords=["golf"],
    )
    assert parsed.languages == ["en-GB"]
    assert parse_package(tmp_path, manifest(untitled + res), course_id="my-course").title == "my-course"


def test_scorm12_lom_langstrings(tmp_path: Path) -> None:
    lom = (
        '<imsmd:lom xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"><imsmd:general>'
        '<imsmd:title><imsmd:langstring xml:lang="fr">Cours</imsmd:langstring></imsmd:title>'
        "</imsmd:general></imsmd:lom>"
    )
    body = organizations(organization(item("ITEM_1", "RES_1"))) + resources(resource("RES_1", "index.html"))
    parsed = parse_package(tmp_path, manifest(body, metadata=lom))
    assert parsed.title == "Test Course"  # the organization's title wins over the catalogue's
    assert parsed.metadata == CourseMetadata(title="Cours", title_language="fr")
    assert parsed.languages == ["fr"]


def test_no_organization_is_refused_even_with_resources(tmp_path: Path) -> None:
    body = "  <organizations/>\n" + resources(resource("RES_1", "index.html"))
    with pytest.raises(PackageError) as caught:
        parse_package(tmp_path, manifest(body), "index.html", course_id="cid")
    assert "has no <organization>" in caught.value.message
