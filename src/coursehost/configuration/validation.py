"""Checking a setting value against its data type, and writing it in the one form it is stored and read back in."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from coursehost.configuration.catalog import Setting
from coursehost.kit.caps import SETTING_VALUE_MAX

INT_MAX = 2**31 - 1  # 32-bit: ample for every setting, and what any client can hold
INT_RANGES = {"int": (-(2**31), INT_MAX), "nonNegativeInt": (0, INT_MAX), "positiveInt": (1, INT_MAX)}
EXIT_KEYWORDS = ("closer", "blank", "message")
_BOOLS = {"true": "true", "yes": "true", "false": "false", "no": "false"}
# ASCII digits only: int() and float() would also take "１２", "1_000", "nan" and "inf".
_INT = re.compile(r"[+-]?[0-9]+")
_DOUBLE = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_TEXT_TYPES = ("string", "delimitedString")


class InvalidValue(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalise(setting: Setting, raw: str) -> str:
    """The stored form of ``raw`` for ``setting``; raises InvalidValue with the reason it is refused."""
    if len(raw) > SETTING_VALUE_MAX:
        raise InvalidValue(f"longer than {SETTING_VALUE_MAX} characters")
    if setting.data_type in _TEXT_TYPES and not setting.valid_values and setting.value_format is None:
        return raw
    value = raw.strip()
    if not value and not setting.default:
        # A setting with no default is "unset" until given a value, so an empty value says "let the player decide".
        return ""
    if setting.value_format == "url":
        return _url(value)
    if setting.value_format == "exit-url":
        return value.lower() if value.lower() in EXIT_KEYWORDS else _url(value, keywords=True)
    if setting.data_type.startswith("DelimitedEnum."):
        return ", ".join(_choice(setting, item.strip()) for item in value.split(","))
    if setting.valid_values:
        return _choice(setting, value)
    check = _CHECKS.get(setting.data_type)
    return check(setting, value) if check is not None else raw


def _choice(setting: Setting, value: str) -> str:
    for valid in setting.valid_values:
        if valid.value.casefold() == value.casefold():
            return valid.value
    raise InvalidValue("expected one of " + ", ".join(v.value for v in setting.valid_values))


def _bool(setting: Setting, value: str) -> str:
    canonical = _BOOLS.get(value.lower())
    if canonical is None:
        raise InvalidValue("expected true, false, yes or no")
    return canonical


def _int(setting: Setting, value: str) -> str:
    if not _INT.fullmatch(value):
        raise InvalidValue("expected a whole number")
    number = int(value)
    low, high = INT_RANGES[setting.data_type]
    if not low <= number <= high:
        raise InvalidValue(f"expected a whole number from {low} to {high}")
    return str(number)


def _double(setting: Setting, value: str) -> str:
    if not _DOUBLE.fullmatch(value):
        raise InvalidValue("expected a number")
    return value


def _url(value: str, *, keywords: bool = False) -> str:
    try:
        parts = urlsplit(value)
        absolute = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        absolute = False
    if not absolute or any(c.isspace() for c in value):
        extra = " or one of " + ", ".join(EXIT_KEYWORDS) if keywords else ""
        raise InvalidValue(f"expected an absolute http(s) URL{extra}")
    return value


def _json(kind: type, name: str) -> Callable[[Setting, str], str]:
    def check(setting: Setting, value: str) -> str:
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if not isinstance(parsed, kind):
            raise InvalidValue(f"expected a JSON {name}")
        return value

    return check


_CHECKS: dict[str, Callable[[Setting, str], str]] = {
    "bool": _bool,
    "nullableBool": _bool,
    "int": _int,
    "nonNegativeInt": _int,
    "positiveInt": _int,
    "nullableDouble": _double,
    "webPath": lambda setting, value: _url(value),
    "absoluteHttpUri": lambda setting, value: _url(value),
    "languageList": _json(list, "array"),
    "mergedJson": _json(dict, "object"),
}
KNOWN_TYPES = frozenset(_CHECKS) | set(_TEXT_TYPES)
