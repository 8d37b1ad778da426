"""The xAPI's special data types (xapi/formats.py): xAPI 2.0.0 §4.2.7, 1.0.3 Data §4."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coursehost.xapi import formats


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("http://adlnet.gov/expapi/verbs/attended", True),
        ("urn:uuid:6b1a3e9c-0000-4000-8000-000000000000", True),
        ("http://example.com/ünïcode", True),  # an IRI, not only a URI
        ("not an iri", False),
        ("example.com/no-scheme", False),
        ("http://", True),
        ("", False),
        (42, False),
    ],
)
def test_iri(value: object, expected: bool) -> None:
    assert formats.is_iri(value) is expected


def test_uuid_mailto_and_hashes() -> None:
    assert formats.is_uuid("fd41c918-b88b-4b20-a0a5-a4c32391aaa0")
    assert formats.is_uuid("FD41C918-B88B-4B20-A0A5-A4C32391AAA0")
    assert not formats.is_uuid("fd41c918b88b4b20a0a5a4c32391aaa0")
    assert formats.is_mailto("mailto:xapi@adlnet.gov")
    assert not formats.is_mailto("xapi@adlnet.gov")  # XAPI-00032: an mbox is a mailto IRI
    assert formats.is_sha1("a" * 40)
    assert not formats.is_sha1("a" * 39)
    assert all(formats.is_sha2("b" * n) for n in (56, 64, 96, 128))
    assert not formats.is_sha2("b" * 63)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2013-05-18T05:32:34.804Z", datetime(2013, 5, 18, 5, 32, 34, 804000, UTC)),
        ("2013-05-18T07:32:34.804+02:00", datetime(2013, 5, 18, 5, 32, 34, 804000, UTC)),
        ("2013-05-18T05:32:34", datetime(2013, 5, 18, 5, 32, 34, tzinfo=UTC)),
        ("2013-05-18T05:32:34.804-00:00", None),  # XAPI-00122 ff.: the "unknown offset" forms are refused
        ("2013-05-18T05:32:34.804-0000", None),
        ("2013-05-18T05:32:34.804-00", None),
        ("2013-13-18T05:32:34Z", None),
        ("yesterday", None),
    ],
)
def test_timestamps(value: str, expected: datetime | None) -> None:
    assert formats.parse_timestamp(value) == expected


def test_format_timestamp_is_utc_milliseconds() -> None:
    assert formats.format_timestamp(datetime(2024, 1, 2, 3, 4, 5, 678901, UTC)) == "2024-01-02T03:04:05.678Z"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("PT1H30M", True), ("P1Y2M3DT4H5M6.7S", True), ("P4W", True), ("P4W1D", False), ("PT", False), ("P", False)],
)
def test_durations(value: str, expected: bool) -> None:
    # XAPI-00124: ISO 8601:2004 §4.4.3.2; weeks never combine with other components.
    assert formats.is_duration(value) is expected


def test_durations_compare_to_hundredths() -> None:
    # xAPI 2.0.0 §4.2.7: precision beyond 0.01 s is not compared.
    assert formats.comparable_duration("PT1.23456S") == formats.comparable_duration("PT1.23S")
    assert formats.comparable_duration("PT1.10S") == "PT1.1S"
    assert formats.comparable_duration("PT1H") == "PT1H"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("en-US", True), ("zh-Hant-TW", True), ("x-private", True), ("i-klingon", True), ("en_US", False), ("", False)],
)
def test_language_tags(tag: str, expected: bool) -> None:
    assert formats.is_language_tag(tag) is expected
