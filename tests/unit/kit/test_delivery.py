"""kit/delivery.py's reading of If-None-Match: a list of tags, weak or strong, or ``*``."""

from __future__ import annotations

import pytest

from coursehost.kit.delivery import matches

TAG = b'"abc"'


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, False),
        (b"", False),
        (b'"abc"', True),
        (b'W/"abc"', True),
        (b'"x", "abc"', True),
        (b'"x",W/"abc" ', True),
        (b"*", True),
        (b'"abcd"', False),
        (b"abc", False),
        (b'"ab"c"', False),
    ],
)
def test_if_none_match(header: bytes | None, expected: bool) -> None:
    assert matches(header, TAG) is expected
