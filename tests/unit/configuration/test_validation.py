"""Validation by data type, on synthetic settings so each rule is tested on its own."""

from __future__ import annotations

import pytest

from coursehost.configuration.catalog import Setting, ValidValue
from coursehost.configuration.validation import InvalidValue, normalise


def setting(data_type: str, default: str | None = None, **extra: object) -> Setting:
    return Setting("X", data_type, default, "A test setting.", **extra)  # type: ignore[arg-type]


COLOURS = (ValidValue("Red", "red"), ValidValue("GREEN", "green"))

ACCEPTED = [
    (setting("bool", "false"), "Yes", "true"),
    (setting("bool", "false"), " no ", "false"),
    (setting("bool", "false"), "FALSE", "false"),
    (setting("nullableBool"), "", ""),
    (setting("int", "0"), "-2147483648", "-2147483648"),
    (setting("int", "0"), "+12", "12"),
    (setting("nonNegativeInt", "1"), "0", "0"),
    (setting("positiveInt", "1"), "0001", "1"),
    (setting("nullableDouble"), "-1.5e3", "-1.5e3"),
    (setting("nullableDouble"), ".5", ".5"),
    (setting("Enum.Colour", valid_values=COLOURS), "red", "Red"),
    (setting("DelimitedEnum.Colour", "Red", valid_values=COLOURS), "green,RED", "GREEN, Red"),
    (setting("string", "x", valid_values=COLOURS), "Green", "GREEN"),
    (setting("string", "x"), "", ""),
    (setting("string", "x"), " keep  spaces ", " keep  spaces "),
    (setting("delimitedString", "a"), "a, b", "a, b"),
    (setting("string", "", value_format="url"), "HTTPS://Example.com:8443/p?q#f", "HTTPS://Example.com:8443/p?q#f"),
    (setting("string", value_format="exit-url"), "MESSAGE", "message"),
    (setting("webPath", ""), "http://[::1]/x", "http://[::1]/x"),
    (setting("absoluteHttpUri", "http://a"), "https://b", "https://b"),
    (setting("languageList", "[]"), "[]", "[]"),
    (setting("mergedJson"), ' {"a": [1]} ', '{"a": [1]}'),
    (setting("someFutureType", "a"), " anything ", " anything "),
]

REFUSED = [
    (setting("bool", "false"), "", "expected true, false, yes or no"),
    (setting("bool", "false"), "1", "expected true, false, yes or no"),
    (setting("int", "0"), "2147483648", "from -2147483648 to 2147483647"),
    (setting("int", "0"), "1e3", "expected a whole number"),
    (setting("int", "0"), "１２", "expected a whole number"),  # full-width digits are Unicode digits, not ASCII
    (setting("nonNegativeInt", "1"), "-1", "from 0 to"),
    (setting("positiveInt", "1"), "0", "from 1 to"),
    (setting("nullableDouble"), "inf", "expected a number"),
    (setting("nullableDouble"), "1_000", "expected a number"),
    (setting("Enum.Colour", "Red", valid_values=COLOURS), "", "expected one of Red, GREEN"),
    (setting("Enum.Colour", valid_values=COLOURS), "blue", "expected one of Red, GREEN"),
    (setting("DelimitedEnum.Colour", "Red", valid_values=COLOURS), "Red,blue", "expected one of"),
    (setting("string", "", value_format="url"), "mailto:a@b.c", "expected an absolute http(s) URL"),
    (setting("string", "", value_format="url"), "http://", "expected an absolute http(s) URL"),
    (setting("string", "", value_format="url"), "http://a b/", "expected an absolute http(s) URL"),
    (setting("string", "", value_format="url"), "http://[::1/x", "expected an absolute http(s) URL"),
    (setting("string", value_format="exit-url"), "close", "or one of closer, blank, message"),
    (setting("webPath", "/x"), "/relative", "expected an absolute http(s) URL"),
    (setting("languageList", "[]"), '{"a": 1}', "expected a JSON array"),
    (setting("mergedJson"), "{'single': 'quotes'}", "expected a JSON object"),
    (setting("string", "x"), "x" * 65_537, "longer than 65536 characters"),
]


@pytest.mark.parametrize(("definition", "raw", "stored"), ACCEPTED)
def test_accepted_values_are_normalised(definition: Setting, raw: str, stored: str) -> None:
    assert normalise(definition, raw) == stored


@pytest.mark.parametrize(("definition", "raw", "reason"), REFUSED)
def test_refused_values_say_why(definition: Setting, raw: str, reason: str) -> None:
    with pytest.raises(InvalidValue) as info:
        normalise(definition, raw)
    assert reason in info.value.reason
