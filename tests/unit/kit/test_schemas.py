from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from coursehost.kit.schemas import format_datetime


def test_format_is_utc_millis_z() -> None:
    assert format_datetime(datetime(2024, 1, 2, 3, 4, 5, 678912, tzinfo=UTC)) == "2024-01-02T03:04:05.678Z"


def test_naive_is_utc_and_offsets_are_converted() -> None:
    assert format_datetime(datetime(2024, 1, 2, 3, 4, 5)) == "2024-01-02T03:04:05.000Z"
    plus_two = timezone(timedelta(hours=2))
    assert format_datetime(datetime(2024, 1, 2, 5, 4, 5, tzinfo=plus_two)) == "2024-01-02T03:04:05.000Z"
