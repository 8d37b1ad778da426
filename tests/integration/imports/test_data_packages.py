"""The hand-written packages under tests/data/packages import through the API, on both databases, into the course a
reader of their files expects: the standard, the title, the metadata and the outline."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import Api
from tests.support.packages import data_package


def outline(activity: dict[str, Any]) -> list[Any]:
    kids = [outline(child) for child in activity.get("children", [])]
    return [activity["activityType"], activity["title"], activity.get("href"), kids]


@pytest.mark.parametrize(
    ("name", "standard", "title", "expected"),
    [
        ("scorm12-multilevel", "SCORM12", "Sailing Knots", ["AGGREGATION", "Sailing Knots", None, [
            ["AGGREGATION", "Basic knots", None, [
                ["SCO", "The bowline", "bowline.html", []],
                ["ASSET", "The cleat hitch", "cleat.html", []],
            ]],
            ["SCO", "Knot quiz", "quiz/index.html", []],
            ["SCO", "Final exam", "quiz/index.html", []],
        ]]),
        ("scorm2004-sequencing", "SCORM20044THEDITION", "Reading the Tides", [
            "AGGREGATION", "Reading the Tides", None, [
            ["AGGREGATION", "Lessons", None, [
                ["SCO", "Why tides happen", "content/lesson.html?page=1", []],
                ["SCO", "Tide tables", "content/lesson.html?page=2", []],
            ]],
            ["SCO", "Tide test", "content/test.html", []],
        ]]),
        ("aicc-blocks", "AICC", "Rope Work", ["AGGREGATION", "Rope Work", None, [
            ["SCO", "Introduction", "intro.html", []],
            ["AGGREGATION", "Practice", None, [
                ["SCO", "The eye splice", "splice.html?lang=en&level=2", []],
                ["SCO", "Whipping", "whip.html?from=aicc&mode=review", []],
            ]],
        ]]),
        ("cmi5-blocks", "CMI5", "Coastal Navigation", ["AGGREGATION", "Coastal Navigation", None, [
            ["AGGREGATION", "Charts", None, [
                ["SCO", "Chart symbols", "symbols.html?unit=1", []],
                ["AGGREGATION", "Practice", None, [["SCO", "Plotting", "./plotting.html", []]]],
            ]],
            ["SCO", "Buoyage", "https://cdn.example.com/buoys/index.html", []],
        ]]),
    ],
)  # fmt: skip
def test_data_package_imports_as_written(api: Api, name: str, standard: str, title: str, expected: list[Any]) -> None:
    job = api.import_course(name, data_package(name))
    assert job["importResult"]["parserWarnings"] == []
    course = api.request("GET", f"/courses/{name}", params={"includeCourseMetadata": "true"}).json()
    assert (course["courseLearningStandard"], course["title"]) == (standard, title)
    assert outline(course["rootActivity"]) == expected


def test_metadata_from_a_separate_lom_file(api: Api) -> None:
    api.import_course("knots", data_package("scorm12-multilevel"))
    course = api.request("GET", "/courses/knots", params={"includeCourseMetadata": "true"}).json()
    assert course["metadata"]["title"] == "Sailing Knots for Beginners"
    assert course["metadata"]["description"] == "Four knots every sailor ties."
    assert course["metadata"]["keywords"] == ["sailing", "knots"]
