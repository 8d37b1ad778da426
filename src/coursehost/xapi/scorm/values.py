"""Reading values out of a snapshot the browser sent: anything of an unexpected type reads as absent."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_TIMESPAN = re.compile(r"^(\d{1,4}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,2}))?$")
_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def text(value: Any) -> str:
    if isinstance(value, bool):
        return ""
    if isinstance(value, str | int | float):
        return str(value).strip()
    return ""


def mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def items(value: Any) -> list[Mapping[str, Any]]:
    return [mapping(item) for item in value] if isinstance(value, list) else []


def number(value: Any) -> float | None:
    found = text(value)
    return float(found) if _NUMBER.match(found) else None


def timespan(value: Any) -> str | None:
    """A SCORM 1.2 / AICC CMITimespan (HHHH:MM:SS.SS) as an ISO 8601 duration."""
    match = _TIMESPAN.match(text(value))
    if match is None:
        return None
    hours, minutes, seconds, fraction = match.groups()
    centis = ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 100 + int((fraction or "0").ljust(2, "0"))
    hours_part, rest = divmod(centis, 360000)
    minutes_part, rest = divmod(rest, 6000)
    whole, cents = divmod(rest, 100)
    parts = [f"{hours_part}H" if hours_part else "", f"{minutes_part}M" if minutes_part else ""]
    if whole or cents or not any(parts):
        parts.append(f"{whole}.{cents:02d}".rstrip("0").rstrip(".") + "S")
    return "PT" + "".join(parts)


def duration(value: Any) -> str | None:
    """A SCORM 2004 timeinterval, which is already an ISO 8601 duration, when it is one."""
    found = text(value)
    return found if _DURATION.match(found) else None
