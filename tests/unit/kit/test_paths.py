from __future__ import annotations

import pytest

from coursehost.kit.paths import SegmentConvertor, normalise_raw_path


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"/api/v2//courses", "/api/v2/courses"),
        (b"/api/v2///courses//x", "/api/v2/courses/x"),
        (b"/api/v2/courses/a%2Fb", "/api/v2/courses/a%2Fb"),
        (b"/api/v2/courses/a%2fb", "/api/v2/courses/a%2Fb"),
        (b"/api/v2/courses/50%25%2Foff", "/api/v2/courses/50%25%2Foff"),
        (b"/api/v2/courses/with%20space", "/api/v2/courses/with space"),
        (b"/api/v2/courses/%C3%BC", "/api/v2/courses/\u00fc"),
    ],
)
def test_normalise_raw_path(raw: bytes, expected: str) -> None:
    assert normalise_raw_path(raw) == expected


@pytest.mark.parametrize("value", ["a/b", "50%/off", "%2F", "plain", "%25"])
def test_segment_convertor_round_trip(value: str) -> None:
    convertor = SegmentConvertor()
    assert convertor.convert(convertor.to_string(value)) == value
    assert "/" not in convertor.to_string(value)
