"""The base of every wire model: camelCase aliases, and datetimes written the way SCORM Cloud writes them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, PlainSerializer, WithJsonSchema
from pydantic.alias_generators import to_camel


def as_utc(value: datetime) -> datetime:
    """Naive datetimes are UTC: the API documents timestamps as UTC and SQLite drops the offset."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def format_datetime(value: datetime) -> str:
    utc = as_utc(value)
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}"
        f".{utc.microsecond // 1000:03d}Z"
    )


# The serializer returns a str, which alone would document a plain string; generated clients parse date-times.
UtcDatetime = Annotated[
    datetime,
    PlainSerializer(format_datetime, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


def _to_utc(value: datetime) -> datetime:
    try:
        return as_utc(value)
    except OverflowError:  # 9999-12-31T23:59:59-14:00 is in year 10000 in UTC
        raise ValueError("the date is outside years 1 to 9999 once converted to UTC") from None


# A datetime a client sends (query parameter or body field), in UTC; one that has no UTC equivalent is a 400 naming
# the parameter rather than an OverflowError later on.
UtcInput = Annotated[datetime, AfterValidator(_to_utc)]


class Schema(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, from_attributes=True)
