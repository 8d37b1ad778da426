"""The xAPI activity IRI derived for courses whose package names none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coursehost.courses.activity_ids import MAX_IDENTIFIER, course_activity_iri, version_activity_iri
from coursehost.packages.base import Activity, ParsedCourse
from tests.support.formats import aicc_files, parse_zip
from tests.support.packages import ScormPackage, zip_bytes
from tests.unit.packages.builders import parse_zip as parse_file

# RFC 3986 absolute URI: a scheme, then only unreserved, reserved and percent-encoded characters.
ABSOLUTE_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-F]{2})+$")


@pytest.mark.parametrize(
    ("app_id", "course_id", "identifier", "expected"),
    [
        ("APP1", "golf", "com.example.golf", "urn:coursehost:course:APP1:golf:com.example.golf"),
        ("APP1", "golf", None, "urn:coursehost:course:APP1:golf"),
        ("APP1", "golf", "", "urn:coursehost:course:APP1:golf"),
        ("A:B", "a/b c:d", "x:y", "urn:coursehost:course:A%3AB:a%2Fb%20c%3Ad:x%3Ay"),
        ("APP1", "é中", "100%", "urn:coursehost:course:APP1:%C3%A9%E4%B8%AD:100%25"),
        ("APP1", "q?#[]", "~_.-", "urn:coursehost:course:APP1:q%3F%23%5B%5D:~_.-"),
    ],
)
def test_form_and_encoding(app_id: str, course_id: str, identifier: str | None, expected: str) -> None:
    iri = course_activity_iri(app_id, course_id, identifier)
    assert iri == expected
    assert ABSOLUTE_URI.match(iri)
    assert iri.count(":") == 4 + (1 if identifier else 0)


def test_long_identifiers_are_digested() -> None:
    short = "i" * MAX_IDENTIFIER
    assert course_activity_iri("A", "c", short).endswith(":" + short)
    long_iri = course_activity_iri("A", "c", "i" * (MAX_IDENTIFIER + 1))
    assert re.fullmatch(r"urn:coursehost:course:A:c:sha256-[0-9a-f]{64}", long_iri)
    assert long_iri == course_activity_iri("A", "c", "i" * (MAX_IDENTIFIER + 1))
    assert long_iri != course_activity_iri("A", "c", "i" * (MAX_IDENTIFIER + 2))


def test_distinct_inputs_give_distinct_iris() -> None:
    # The parts are encoded, so no two (app, course, identifier) triples collide through the separator.
    triples = [("a", "b:c", None), ("a:b", "c", None), ("a", "b", "c"), ("a", "b", None), ("b", "a", "c")]
    assert len({course_activity_iri(*t) for t in triples}) == len(triples)


def test_a_package_iri_wins_over_the_derived_one() -> None:
    root = Activity(title="t", activity_type="AGGREGATION")
    named = ParsedCourse("CMI5", "t", root, xapi_activity_id="https://example.com/c", package_identifier="x")
    assert version_activity_iri("A", "c", named) == "https://example.com/c"
    unnamed = ParsedCourse("SCORM12", "t", root, package_identifier="x")
    assert version_activity_iri("A", "c", unnamed) == "urn:coursehost:course:A:c:x"


def test_parsers_report_their_package_identifier(tmp_path: Path) -> None:
    scorm = ScormPackage(identifier=" com.example.m1 ").to_bytes()
    (tmp_path / "s.zip").write_bytes(scorm)
    assert parse_file(tmp_path / "s.zip")[0].package_identifier == "com.example.m1"
    assert parse_zip(tmp_path, aicc_files()).package_identifier == "C-1"
    nameless = ScormPackage().manifest().replace('identifier="m1" ', "")
    (tmp_path / "n.zip").write_bytes(zip_bytes({"imsmanifest.xml": nameless, "index.html": b"x"}))
    assert parse_file(tmp_path / "n.zip")[0].package_identifier is None
