from __future__ import annotations

import pytest

from coursehost.kit.query import csv_values


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (None, []),
        ([], []),
        (["a,b"], ["a", "b"]),
        (["a", "b"], ["a", "b"]),
        (["a,b", "c"], ["a", "b", "c"]),
        ([" a ,, b ", " ", ""], ["a", "b"]),
        (["b,a", "a", "b"], ["b", "a"]),
    ],
)
def test_csv_values(values: list[str] | None, expected: list[str]) -> None:
    assert csv_values(values) == expected
