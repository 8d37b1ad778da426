"""The pure parts of the cascade: scope keys, the learning-standard parameters, SCO counting and resolution."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from coursehost.configuration.catalog import BY_ID
from coursehost.configuration.repository import APPLICATION, Scope
from coursehost.configuration.service import (
    as_text,
    describe,
    launchable_count,
    resolve,
    standard_scope,
    version_standard_scope,
)
from coursehost.kit.errors import BadRequest


def test_scope_keys_are_never_null_and_distinguish_every_target() -> None:
    keys = [
        APPLICATION.key,
        Scope("learning_standard", learning_standard="SCORM12", single_sco=True).key,
        Scope("learning_standard", learning_standard="SCORM12", single_sco=False).key,
        Scope("course", course_pk=7).key,
        Scope("version", course_pk=7, version_pk=7).key,
    ]
    assert keys == ["app", "ls:SCORM12:single", "ls:SCORM12:multi", "course:7", "version:7"]


@pytest.mark.parametrize(
    ("given", "standard"),
    [("scorm12", "SCORM12"), ("SCORM_2004_3RD_EDITION", "SCORM20043RDEDITION"), ("cmi5", "CMI5"), ("Aicc", "AICC")],
)
def test_learning_standards_are_read_without_case_or_separators(given: str, standard: str) -> None:
    assert standard_scope(given, False) == Scope("learning_standard", learning_standard=standard, single_sco=False)


def test_no_parameters_address_the_application() -> None:
    assert standard_scope(None, None) == APPLICATION


@pytest.mark.parametrize(("standard", "single"), [("SCORM12", None), (None, True), ("UNKNOWN", True), ("", True)])
def test_bad_parameter_combinations_are_400(standard: str | None, single: bool | None) -> None:
    with pytest.raises(BadRequest):
        standard_scope(standard, single)


def activity(kind: str, *children: dict[str, Any]) -> dict[str, Any]:
    return {"activityType": kind, "children": list(children)}


def test_launchable_activities_are_counted_through_the_tree() -> None:
    assert launchable_count(activity("AGGREGATION", activity("SCO"))) == 1
    tree = activity("AGGREGATION", activity("AGGREGATION", activity("SCO"), activity("ASSET")), activity("SCO"))
    assert launchable_count(tree) == 3
    assert launchable_count({"activityType": "AGGREGATION"}) == 0


def test_a_version_with_one_sco_is_single_sco() -> None:
    one = SimpleNamespace(learning_standard="SCORM12", root_activity=activity("AGGREGATION", activity("SCO")))
    two = SimpleNamespace(
        learning_standard="CMI5", root_activity=activity("AGGREGATION", activity("SCO"), activity("SCO"))
    )
    assert version_standard_scope(one).key == "ls:SCORM12:single"  # type: ignore[arg-type]
    assert version_standard_scope(two).key == "ls:CMI5:multi"  # type: ignore[arg-type]


def test_the_first_layer_holding_a_value_wins() -> None:
    nav = BY_ID["PlayerShowNavBar"]
    assert resolve(nav, [("course", {}), ("application", {"PlayerShowNavBar": "true"})]) == ("true", "application")
    assert resolve(nav, [("course", {"PlayerShowNavBar": ""}), ("application", {"PlayerShowNavBar": "true"})]) == (
        "",
        "course",
    )
    assert resolve(BY_ID["MediaContentCompletionThreshold"], []) == ("95", "default")
    assert resolve(BY_ID["PlayerLaunchType"], []) == ("", "default")


def test_json_scalars_become_the_strings_they_read_back_as() -> None:
    assert [as_text(v) for v in (True, False, 80, 0.5, "x")] == ["true", "false", "80", "0.5", "x"]


def test_metadata_leaves_out_empty_keys() -> None:
    dumped = describe(BY_ID["PlayerShowNavBar"]).model_dump(by_alias=True, exclude_none=True)
    assert dumped == {
        "dataType": "bool",
        "settingDescription": BY_ID["PlayerShowNavBar"].description,
        "level": "Registration",
    }
