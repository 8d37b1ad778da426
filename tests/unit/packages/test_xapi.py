from __future__ import annotations

from pathlib import Path

import pytest

from coursehost.packages import Activity, CourseMetadata
from tests.support.formats import parse_zip, tincan_activity, tincan_xml, zip_error
from tests.unit.packages.builders import HTML

COURSE = "http://example.com/course"


def test_launchable_course_activity(tmp_path: Path) -> None:
    parsed = parse_zip(tmp_path, {"tincan.xml": tincan_xml(), "index.html": HTML})
    assert parsed.standard == "XAPI"
    assert parsed.title == "Tin Can Course"
    assert parsed.xapi_activity_id == COURSE
    assert parsed.languages == ["en-US"]
    assert parsed.metadata == CourseMetadata("Tin Can Course", "en-US", "About the course", "en-US")
    assert parsed.root_activity == Activity(
        title="Tin Can Course",
        activity_type="AGGREGATION",
        children=[
            Activity(
                title="Tin Can Course",
                activity_type="SCO",
                item_identifier=COURSE,
                external_identifier=COURSE,
                href="index.html",
            )
        ],
    )
    assert parsed.warnings == []


def test_storyline_style_listing_picks_the_launchable_course(tmp_path: Path) -> None:
    module = tincan_activity(
        "http://example.com/course/module",
        None,
        activity_type="http://adlnet.gov/expapi/activities/module",
        name="<name>Module</name>",
    )
    xml = tincan_xml(module, tincan_activity(launch="story.html?x=1"))
    parsed = parse_zip(tmp_path, {"tincan.xml": xml, "story.html": HTML})
    assert parsed.root_activity.children[0].href == "story.html?x=1"
    assert parsed.xapi_activity_id == COURSE


def test_course_type_wins_among_several_launchable(tmp_path: Path) -> None:
    game = tincan_activity("http://example.com/game", "game.html", activity_type="http://example.com/game")
    xml = tincan_xml(game, tincan_activity())
    parsed = parse_zip(tmp_path, {"tincan.xml": xml, "index.html": HTML, "game.html": HTML})
    assert parsed.xapi_activity_id == COURSE
    assert parsed.warnings == [f"tincan.xml has 2 activities with a <launch> element; only '{COURSE}' was imported."]


def test_non_course_type_is_fine_when_alone(tmp_path: Path) -> None:
    xml = tincan_xml(tincan_activity("http://example.com/tetris", "tetris.html", activity_type="http://x/game"))
    assert parse_zip(tmp_path, {"tincan.xml": xml, "tetris.html": HTML}).xapi_activity_id == "http://example.com/tetris"


def test_english_name_among_several_and_plain_name(tmp_path: Path) -> None:
    names = '<name lang="de-DE">Kurs</name><name lang="en-GB">Course</name>'
    xml = tincan_xml(tincan_activity(name=names))
    parsed = parse_zip(tmp_path, {"tincan.xml": xml, "index.html": HTML})
    assert parsed.title == "Course"
    assert parsed.languages == ["de-DE", "en-GB", "en-US"]
    plain = tincan_xml(tincan_activity(name="<name><![CDATA[Why license?]]></name>"))
    assert parse_zip(tmp_path, {"tincan.xml": plain, "index.html": HTML}).title == "Why license?"


def test_missing_name_falls_back_to_the_course_id(tmp_path: Path) -> None:
    xml = tincan_xml(tincan_activity(name=""))
    parsed = parse_zip(tmp_path, {"tincan.xml": xml, "index.html": HTML}, course_id="c-7")
    assert (parsed.title, parsed.root_activity.children[0].title) == ("c-7", "c-7")
    assert parsed.metadata == CourseMetadata(None, None, "About the course", "en-US")


def test_absolute_launch_url(tmp_path: Path) -> None:
    xml = tincan_xml(tincan_activity(launch="http://xapigo.com/golf/index.html"))
    parsed = parse_zip(tmp_path, {"tincan.xml": xml, "launch.html": HTML})
    assert parsed.root_activity.children[0].href == "http://xapigo.com/golf/index.html"


def test_case_mismatch_is_a_warning(tmp_path: Path) -> None:
    parsed = parse_zip(tmp_path, {"tincan.xml": tincan_xml(tincan_activity(launch="Index.html")), "index.html": HTML})
    assert parsed.warnings == ["launch 'Index.html' matched file 'index.html' only when ignoring case"]


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (
            tincan_xml(tincan_activity(launch=None)),
            "tincan.xml has no activity with a <launch> element, so there is nothing to launch",
        ),
        (
            tincan_xml(tincan_activity(launch="  ")),
            "tincan.xml has no activity with a <launch> element, so there is nothing to launch",
        ),
        (
            tincan_xml(tincan_activity(launch="missing.html?a=1")),
            f"The launch file 'missing.html' of activity '{COURSE}' is not in the package",
        ),
        (
            tincan_xml(tincan_activity(launch="file:///etc/passwd")),
            f"The launch URL 'file:///etc/passwd' of activity '{COURSE}' is neither a package file nor http(s)",
        ),
        (tincan_xml(tincan_activity(activity_id=" ")), "The launchable activity in tincan.xml has no id attribute"),
        ("<manifest/>", "tincan.xml does not have <tincan> as its root element"),
    ],
)
def test_errors(tmp_path: Path, xml: str, message: str) -> None:
    assert zip_error(tmp_path, {"tincan.xml": xml, "index.html": HTML}) == message
