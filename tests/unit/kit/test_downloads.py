"""Single byte ranges, as every download route (assets, player content, webPathToCourse) reads them."""

from __future__ import annotations

import pytest

from coursehost.kit.downloads import byte_range, disposition


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("bytes=0-9", (0, 9)),
        ("bytes=5-", (5, 99)),
        ("bytes=90-200", (90, 99)),
        ("bytes=-10", (90, 99)),
        ("bytes=-500", (0, 99)),
        ("bytes=-0", False),
        ("bytes=-", None),
        ("bytes=100-", False),
        ("bytes=9-5", False),
        ("bytes=0-1,5-6", None),
        ("items=0-1", None),
    ],
)
def test_byte_range(header: str | None, expected: object) -> None:
    assert byte_range(header, 100) == expected


def test_no_range_of_an_empty_file_is_satisfiable() -> None:
    assert byte_range("bytes=-5", 0) is False
    assert byte_range("bytes=0-", 0) is False


def test_disposition_keeps_the_plain_name_free_of_spaces_and_quotes() -> None:
    assert disposition('my "course" v1.zip') == (
        "attachment; filename=\"my_course_v1.zip\"; filename*=UTF-8''my%20%22course%22%20v1.zip"
    )
