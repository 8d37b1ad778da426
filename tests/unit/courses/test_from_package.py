"""``describe_version``: the one mapping from a parsed package to a course version row (imports and asset changes)."""

from __future__ import annotations

from coursehost.courses.from_package import activity_to_wire, describe_version, metadata_to_wire
from coursehost.kit.caps import TITLE_MAX
from coursehost.models import CourseVersion
from coursehost.packages import Activity, CourseMetadata, Package, ParsedCourse


def parsed(**changes: object) -> ParsedCourse:
    sco = Activity(title="Lesson", activity_type="SCO", item_identifier="i1", resource_identifier="r1", href="a.html")
    course = ParsedCourse(
        standard="SCORM12",
        title="Golf",
        root_activity=Activity(title="Golf", activity_type="AGGREGATION", item_identifier="org", children=[sco]),
        warnings=["a repair"],
        languages=["en", "fr"],
        metadata=CourseMetadata(title="Golf", title_language="en", description="Swing", keywords=["sport"]),
        package_identifier="com.example.golf",
    )
    for name, value in changes.items():
        setattr(course, name, value)
    return course


def test_every_column_the_package_describes_is_written() -> None:
    version = CourseVersion()
    describe_version(version, Package("scorm", parsed()), app_id="APP", course_id="golf")
    assert (version.title, version.learning_standard, version.package_kind) == ("Golf", "SCORM12", "scorm")
    assert version.xapi_activity_id == "urn:coursehost:course:APP:golf:com.example.golf"
    assert version.root_activity == {
        "itemIdentifier": "org",
        "activityType": "AGGREGATION",
        "title": "Golf",
        "children": [
            {
                "itemIdentifier": "i1",
                "resourceIdentifier": "r1",
                "activityType": "SCO",
                "href": "a.html",
                "title": "Lesson",
                "children": [],
            }
        ],
    }
    assert version.course_metadata == {
        "title": "Golf",
        "titleLanguage": "en",
        "description": "Swing",
        "keywords": ["sport"],
    }
    assert (version.languages, version.parser_warnings) == (["en", "fr"], ["a repair"])


def test_a_package_that_names_its_own_iri_keeps_it() -> None:
    version = CourseVersion()
    package = Package("cmi5", parsed(standard="CMI5", xapi_activity_id="https://example.com/course/1"))
    describe_version(version, package, app_id="APP", course_id="golf")
    assert version.xapi_activity_id == "https://example.com/course/1"


def test_an_overlong_title_is_cut_once_with_a_warning_the_import_result_shares() -> None:
    course = parsed(title="T" * (TITLE_MAX + 20))
    first, second = CourseVersion(), CourseVersion()
    describe_version(first, Package("scorm", course), app_id="A", course_id="c")
    # A publish that is retried describes a fresh row from the same package: the title is not cut, nor warned, twice.
    describe_version(second, Package("scorm", course), app_id="A", course_id="c")
    assert first.title == second.title == course.title == "T" * TITLE_MAX
    assert course.warnings[0] == "a repair"
    assert len(course.warnings) == 2
    assert f"cut from {TITLE_MAX + 20} to {TITLE_MAX}" in course.warnings[1]
    assert second.parser_warnings == course.warnings


def test_no_metadata_and_absent_fields_are_left_out() -> None:
    assert metadata_to_wire(parsed(metadata=None)) is None
    assert activity_to_wire(Activity(title="x", activity_type="ASSET")) == {
        "activityType": "ASSET",
        "title": "x",
        "children": [],
    }
