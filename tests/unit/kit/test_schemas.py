from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from coursehost.kit.schemas import format_datetime


def test_format_is_utc_millis_z() -> None:
    assert format_datetime(datetime(2024, 1, 2, 3, 4, 5, 678912, tzinfo=UTC)) == "2024-01-02T03:04:05.678Z"


def test_naive_is_utc_and_offsets_are_converted() -> None:
    assert format_datetime(datetime(2024, 1, 2, 3, 4, 5)) == "2024-01-02T03:04:05.000Z"
    plus_two = timezone(timedelta(hours=2))
    assert format_datetime(datetime(2024, 1, 2, 5, 4, 5, tzinfo=plus_two)) == "2024-01-02T03:04:05.000Z"


def test_years_before_1000_keep_four_digits() -> None:
    assert format_datetime(datetime(999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)) == "0999-12-31T23:59:59.999Z"
