"""The xAPI's special data types (xAPI 2.0.0 §4.2.7, 1.0.3 Data §4): IRIs, UUIDs, timestamps, durations, language
tags, hashes. Pure functions; the statement validator and the document resources share them."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

# An absolute IRI (RFC 3987): a scheme, a colon and at least one character, none of them space or the characters
# RFC 3987 excludes. Non-ASCII characters are allowed (that is what makes an IRI an IRI).
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_MAILTO = re.compile(r"mailto:[^@\s:/]+@[^@\s]+")
_SHA1 = re.compile(r"[0-9a-fA-F]{40}")
# SHA-224, SHA-256, SHA-384 or SHA-512, as hexadecimal.
_SHA2 = re.compile(r"[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128}")
_TIMESTAMP = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<time>\d{2}:\d{2}:\d{2})(?P<fraction>\.\d+)?"
    r"(?P<zone>[Zz]|[+-]\d{2}(?::?\d{2})?)?"
)
_NUMBER = r"\d+(?:[.,]\d+)?"
# Weeks stand alone (ISO 8601 §4.4.3.2: PnW is its own format, never combined with other components).
_DURATION = re.compile(
    rf"P(?:{_NUMBER}W|(?=[\dT])(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}D)?"
    rf"(?:T(?=\d)(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?)"
)
_SECONDS = re.compile(r"(\d+)[.,](\d+)S$")
# RFC 5646 language tags: langtag, private use, grandfathered irregular forms (regular ones fit langtag).
_LANGTAG = re.compile(
    r"(?:(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"  # language (with extlang)
    r"(?:-[A-Za-z]{4})?"  # script
    r"(?:-(?:[A-Za-z]{2}|\d{3}))?"  # region
    r"(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*"  # variants
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"  # extensions
    r"(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?"  # private use
    r"|[Xx](?:-[A-Za-z0-9]{1,8})+"
    r"|[Ii]-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)"
    r"|en-GB-oed|sgn-(?:BE-FR|BE-NL|CH-DE))"
)


def is_iri(value: object) -> bool:
    return isinstance(value, str) and _IRI.fullmatch(value) is not None


def is_uuid(value: object) -> bool:
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def is_mailto(value: object) -> bool:
    return isinstance(value, str) and _MAILTO.fullmatch(value) is not None


def is_sha1(value: object) -> bool:
    return isinstance(value, str) and _SHA1.fullmatch(value) is not None


def is_sha2(value: object) -> bool:
    return isinstance(value, str) and _SHA2.fullmatch(value) is not None


def is_duration(value: object) -> bool:
    return isinstance(value, str) and _DURATION.fullmatch(value) is not None


def comparable_duration(value: str) -> str:
    """A duration with its seconds truncated to hundredths: precision beyond 0.01 s does not count when durations
    (or statements holding them) are compared (xAPI 2.0.0 §4.2.7)."""
    match = _SECONDS.search(value)
    if match is None:
        return value
    fraction = match.group(2)[:2].rstrip("0")
    return value[: match.start()] + match.group(1) + ("." + fraction if fraction else "") + "S"


def is_language_tag(value: object) -> bool:
    return isinstance(value, str) and _LANGTAG.fullmatch(value) is not None


def parse_timestamp(value: object) -> datetime | None:
    """An ISO 8601 / RFC 3339 date-time as an aware UTC datetime, or None when it is not one. A time without an
    offset is taken as UTC; the "unknown offset" forms (-00, -0000, -00:00) are refused (XAPI-00122 ff.)."""
    if not isinstance(value, str):
        return None
    match = _TIMESTAMP.fullmatch(value)
    if match is None:
        return None
    zone = match.group("zone") or "Z"
    if zone.startswith("-") and zone[1:].replace(":", "").strip("0") == "":
        return None
    try:
        base = datetime.fromisoformat(f"{match.group('date')}T{match.group('time')}")
    except ValueError:
        return None
    fraction = match.group("fraction")
    micros = int((fraction[1:] + "000000")[:6]) if fraction else 0
    offset: timezone = UTC
    if zone not in ("Z", "z"):
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:4] or "0")
        if hours > 23 or minutes > 59:
            return None
        delta = timedelta(hours=hours, minutes=minutes)
        offset = timezone(-delta if zone[0] == "-" else delta)
    return base.replace(microsecond=micros, tzinfo=offset).astimezone(UTC)


def format_timestamp(moment: datetime) -> str:
    """UTC with milliseconds and ``Z``: how the LRS writes the times it sets (stored, a missing timestamp)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def load_statements_json(text: str | bytes) -> Any:
    """Statements' JSON, refusing (ValueError) an object that names a property twice: each property is used at most
    once (xAPI 2.0.0 §4.2.1, 1.0.3 Data 2.4, XAPI-00021), where json.loads would silently keep the last one."""
    return json.loads(text, object_pairs_hook=_unique_properties)


def _unique_properties(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the property {key!r} appears twice in one object")
        result[key] = value
    return result
