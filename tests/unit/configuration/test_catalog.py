"""The catalog is well formed: unique ids, known types, defaults that pass their own validation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coursehost.configuration.catalog import ANY_LEVEL, BY_ID, LEARNING_STANDARDS, SETTINGS, Setting, find
from coursehost.configuration.validation import KNOWN_TYPES, normalise

DOCS = Path(__file__).resolve().parents[3] / "docs" / "configuration.md"


def test_ids_are_unique_even_without_case() -> None:
    assert len({s.id.casefold() for s in SETTINGS}) == len(SETTINGS) == len(BY_ID)


def test_the_registration_level_settings_are_all_there() -> None:
    registration = [s for s in SETTINGS if s.levels == ANY_LEVEL]
    assert len(registration) == 150
    application_only = [s for s in SETTINGS if s.levels == ("application",)]
    assert len(application_only) + len(registration) == len(SETTINGS)


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.id)
def test_each_setting_is_well_formed(setting: Setting) -> None:
    assert setting.data_type in KNOWN_TYPES or setting.data_type.startswith(("Enum.", "DelimitedEnum."))
    if setting.data_type.startswith("Enum."):
        assert setting.valid_values
    assert setting.description.endswith(".")
    assert len(setting.description) <= 120
    assert set(setting.learning_standards) <= set(LEARNING_STANDARDS)
    assert len({v.value for v in setting.valid_values}) == len(setting.valid_values)
    assert all(v.description for v in setting.valid_values)
    assert setting.fallback is None or setting.fallback in BY_ID
    if setting.default:
        assert normalise(setting, setting.default) == setting.default


def test_find_ignores_case() -> None:
    assert find("playerlaunchtype") is BY_ID["PlayerLaunchType"]
    assert find("NoSuchSetting") is None


def test_every_setting_the_docs_name_exists() -> None:
    named = set(re.findall(r"`([A-Za-z][A-Za-z0-9]+)`", DOCS.read_text()))
    candidates = {name for name in named if re.fullmatch(r"(Player|Redirect|Api|Launch|Media|PDF)[A-Za-z]+", name)}
    assert candidates, "docs/configuration.md names no settings"
    assert sorted(candidates - set(BY_ID)) == []
