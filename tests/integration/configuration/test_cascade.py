"""The level cascade: version → course → learningStandardForApplication → application → default."""

from __future__ import annotations

import pytest

from tests.integration.configuration.helpers import APP, course_path, effective, item, items, package, set_ok
from tests.integration.conftest import Api

NAV = "PlayerShowNavBar"


def test_a_fresh_application_reads_defaults_at_every_level(api: Api) -> None:
    api.import_course("c", package())
    for path in (APP, course_path("c"), course_path("c", 0)):
        listed = items(api, path)
        assert listed, path
        assert all(i["effectiveValueSource"] == "default" for i in listed.values())
        assert all(set(i) == {"id", "effectiveValue", "effectiveValueSource"} for i in listed.values())
    assert effective(api, APP, "MediaContentCompletionThreshold") == ("95", "default", None)
    assert effective(api, APP, "PlayerLaunchType") == ("", "default", None)


def test_each_level_overrides_the_one_above_and_reports_its_source(api: Api) -> None:
    api.import_course("c", package())  # SCORM 1.2 with one SCO
    course, version = course_path("c"), course_path("c", 0)
    standard = {"learningStandard": "SCORM12", "singleSco": "true"}

    set_ok(api, APP, {NAV: "false"})
    assert effective(api, APP, NAV) == ("false", "application", "false")
    assert effective(api, APP, NAV, **standard) == ("false", "application", None)
    assert effective(api, course, NAV) == ("false", "application", None)
    assert effective(api, version, NAV) == ("false", "application", None)

    set_ok(api, APP, {NAV: "true"}, **standard)
    assert effective(api, APP, NAV) == ("false", "application", "false")  # a less specific level does not see it
    assert effective(api, APP, NAV, **standard) == ("true", "learningStandardForApplication", "true")
    assert effective(api, course, NAV) == ("true", "learningStandardForApplication", None)
    assert effective(api, version, NAV) == ("true", "learningStandardForApplication", None)

    set_ok(api, course, {NAV: "false"})
    assert effective(api, APP, NAV, **standard) == ("true", "learningStandardForApplication", "true")
    assert effective(api, course, NAV) == ("false", "course", "false")
    assert effective(api, version, NAV) == ("false", "course", None)

    set_ok(api, version, {NAV: "true"})
    assert effective(api, course, NAV) == ("false", "course", "false")
    assert effective(api, version, NAV) == ("true", "course", "true")  # a version's own value reports "course"


def test_deleting_peels_one_level_at_a_time(api: Api) -> None:
    api.import_course("c", package())
    course, version = course_path("c"), course_path("c", 0)
    standard = {"learningStandard": "SCORM12", "singleSco": "true"}
    set_ok(api, APP, {NAV: "false"})
    set_ok(api, APP, {NAV: "true"}, **standard)
    set_ok(api, course, {NAV: "false"})
    set_ok(api, version, {NAV: "true"})

    steps = [
        (version, {}, ("false", "course", None)),
        (course, {}, ("true", "learningStandardForApplication", None)),
        (APP, standard, ("false", "application", None)),
        (APP, {}, ("", "default", None)),
    ]
    for path, params, expected in steps:
        response = api.request("DELETE", f"{path}/{NAV}", params=params, json={})
        assert response.status_code == 204, response.text
        assert response.content == b""
        assert effective(api, version, NAV) == expected


def test_deleting_a_value_never_set_at_that_level_changes_nothing(api: Api) -> None:
    api.import_course("c", package())
    set_ok(api, APP, {NAV: "false"})
    assert api.request("DELETE", f"{course_path('c')}/{NAV}").status_code == 204
    assert api.request("DELETE", f"{course_path('c', 0)}/{NAV}").status_code == 204
    assert effective(api, course_path("c"), NAV) == ("false", "application", None)


@pytest.mark.parametrize(("scos", "applies"), [(1, "true"), (3, "false")])
def test_the_learning_standard_level_matches_standard_and_sco_count(api: Api, scos: int, applies: str) -> None:
    api.import_course("c", package(scos=scos))
    set_ok(api, APP, {NAV: "true"}, learningStandard="SCORM12", singleSco="true")
    set_ok(api, APP, {NAV: "false"}, learningStandard="SCORM12", singleSco="false")
    set_ok(api, APP, {"PlayerShowHelp": "true"}, learningStandard="SCORM20044THEDITION", singleSco="true")
    assert effective(api, course_path("c"), NAV) == (applies, "learningStandardForApplication", None)
    assert effective(api, course_path("c"), "PlayerShowHelp") == ("", "default", None)


def test_course_level_uses_the_latest_version_and_versions_their_own_standard(api: Api) -> None:
    api.import_course("c", package(version="1.2"))
    api.import_course("c", package(version="2004 4th Edition"), mayCreateNewVersion="true")
    set_ok(api, APP, {NAV: "true"}, learningStandard="scorm12", singleSco="True")
    set_ok(api, APP, {NAV: "false"}, learningStandard="SCORM_2004_4TH_EDITION", singleSco="True")
    assert effective(api, course_path("c"), NAV) == ("false", "learningStandardForApplication", None)
    assert effective(api, course_path("c", 1), NAV) == ("false", "learningStandardForApplication", None)
    assert effective(api, course_path("c", 0), NAV) == ("true", "learningStandardForApplication", None)


def test_a_course_value_applies_to_every_version_without_its_own(api: Api) -> None:
    api.import_course("c", package())
    api.import_course("c", package(), mayCreateNewVersion="true")
    set_ok(api, course_path("c"), {"PlayerTimeLimit": "30"})
    set_ok(api, course_path("c", 1), {"PlayerTimeLimit": "45"})
    assert effective(api, course_path("c", 0), "PlayerTimeLimit") == ("30", "course", None)
    assert effective(api, course_path("c", 1), "PlayerTimeLimit") == ("45", "course", "45")
    assert effective(api, course_path("c"), "PlayerTimeLimit") == ("30", "course", "30")


def test_values_are_per_course(api: Api) -> None:
    api.import_course("a", package())
    api.import_course("b", package())
    set_ok(api, course_path("a"), {NAV: "false"})
    assert effective(api, course_path("b"), NAV) == ("", "default", None)


def test_metadata_only_when_asked_and_without_empty_keys(api: Api) -> None:
    api.import_course("c", package())
    assert "metadata" not in item(api, course_path("c"), "PlayerLaunchType")
    assert "metadata" not in item(api, course_path("c"), "PlayerLaunchType", includeMetadata="false")
    launch = item(api, course_path("c"), "PlayerLaunchType", includeMetadata="True")["metadata"]
    assert set(launch) == {"dataType", "settingDescription", "level", "validValues"}  # no default, any standard
    assert launch["dataType"] == "Enum.LaunchTypeValue"
    assert launch["level"] == "Registration"
    assert [v["value"] for v in launch["validValues"]][:2] == ["FRAMESET", "NEW_WINDOW"]
    assert all(set(v) == {"value", "valueDescription"} for v in launch["validValues"])
    choice = item(api, course_path("c", 0), "PlayerEnableChoiceNav", includeMetadata="true")["metadata"]
    assert set(choice) == {"dataType", "settingDescription", "level", "learningStandards"}
    assert choice["learningStandards"] == ["SCORM11", "SCORM12", "AICC", "CMI5"]
    threshold = item(api, APP, "MediaContentCompletionThreshold", includeMetadata="true")["metadata"]
    assert threshold["default"] == "95"
    assert threshold["dataType"] == "nonNegativeInt"
    timeout = item(api, APP, "ApiPostbackTimeoutSeconds", includeMetadata="true")["metadata"]
    assert timeout["level"] == "Application"


def test_each_level_lists_the_settings_that_may_be_set_there(api: Api) -> None:
    api.import_course("c", package())
    app_level = items(api, APP)
    standard_level = items(api, APP, learningStandard="CMI5", singleSco="false")
    course_level = items(api, course_path("c"))
    assert "ApiPostbackTimeoutSeconds" in app_level
    assert "ApiPostbackTimeoutSeconds" not in standard_level
    assert "ApiPostbackTimeoutSeconds" not in course_level
    assert set(course_level) == set(standard_level) == set(items(api, course_path("c", 0)))
    assert set(course_level) < set(app_level)
    assert len(course_level) >= 147


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"learningStandard": "SCORM12"}, "singleSco is required when learningStandard is given"),
        ({"singleSco": "true"}, "singleSco may only be given together with learningStandard"),
        ({"learningStandard": "SCORM13", "singleSco": "true"}, "Unknown learningStandard 'SCORM13'"),
        ({"learningStandard": "SCORM12", "singleSco": "perhaps"}, "singleSco"),
    ],
)
def test_learning_standard_parameters_are_checked(api: Api, params: dict[str, str], message: str) -> None:
    for method, path, kwargs in [
        ("GET", APP, {}),
        ("POST", APP, {"json": {"settings": [{"settingId": NAV, "value": "true"}]}}),
        ("DELETE", f"{APP}/{NAV}", {}),
    ]:
        response = api.request(method, path, params=params, **kwargs)
        assert response.status_code == 400, (method, response.text)
        assert message in response.json()["message"]
    assert effective(api, APP, NAV) == ("", "default", None)
