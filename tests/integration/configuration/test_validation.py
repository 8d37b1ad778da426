"""Values are checked by data type and by level; a refused POST stores nothing."""

from __future__ import annotations

from typing import Any

import pytest

from coursehost.context import Context
from tests.integration.configuration.helpers import (
    APP,
    course_path,
    effective,
    item,
    package,
    post,
    set_ok,
    stored_rows,
)
from tests.integration.conftest import Api

BAD: list[tuple[str, Any, str]] = [
    ("PlayerShowNavBar", "maybe", "expected true, false, yes or no"),
    ("PlayerShowNavBar", 1, "expected true, false, yes or no"),
    ("ApiPostbackTimeoutSeconds", "ten", "expected a whole number"),
    ("ApiPostbackTimeoutSeconds", "2147483648", "expected a whole number from -2147483648 to 2147483647"),
    ("PlayerTimeLimit", "-1", "expected a whole number from 0 to 2147483647"),
    ("PlayerTimeLimit", 1.5, "expected a whole number"),
    ("ConcurrentLaunchDetectionHistoryRows", "0", "expected a whole number from 1 to 2147483647"),
    ("PlayerStatusRollupModeThresholdScore", "high", "expected a number"),
    ("PlayerStatusRollupModeThresholdScore", "NaN", "expected a number"),
    ("PlayerLaunchType", "SIDEWAYS", "expected one of FRAMESET, NEW_WINDOW"),
    ("ApiRollupRegistrationFormat", "brief", "expected one of course, activity, full"),
    ("ApiRollupRegistrationPostBackUrl", "ftp://example.com/x", "expected an absolute http(s) URL"),
    ("ApiRollupRegistrationPostBackUrl", "/relative/path", "expected an absolute http(s) URL"),
    ("RedirectOnRefreshUrl", "example.com", "expected an absolute http(s) URL"),
    ("RedirectOnExitUrl", "elsewhere", "expected an absolute http(s) URL or one of closer, blank, message"),
    ("ContentLangToUrl", "{}", "expected a JSON array"),
    ("ContentLangToUrl", "[unclosed", "expected a JSON array"),
    ("xAPIRewriteStatementModifier", "[]", "expected a JSON object"),
    ("WhenToRestartRegistration", "", "expected one of NEVER"),
]

GOOD: list[tuple[str, Any, str | None]] = [
    ("PlayerShowNavBar", "YES", "true"),
    ("PlayerShowNavBar", "No", "false"),
    ("PlayerShowNavBar", "TRUE", "true"),
    ("PlayerShowNavBar", True, "true"),
    ("PlayerShowNavBar", False, "false"),
    ("PlayerShowNavBar", "", ""),  # no default: empty means "let the player decide"
    ("PlayerTimeLimit", 80, "80"),
    ("PlayerTimeLimit", " +007 ", "7"),
    ("PlayerStatusRollupModeThresholdScore", 0.75, "0.75"),
    ("PlayerStatusRollupModeThresholdScore", "80", "80"),
    ("PlayerLaunchType", "new_window", "NEW_WINDOW"),
    ("PlayerReturnToLmsAction", "SUSPENDALL", "SuspendAll"),
    ("ApiRollupRegistrationFormat", "FULL", "full"),
    ("ApiRollupRegistrationPostBackUrl", "https://lms.example.com/hook?x=1", "https://lms.example.com/hook?x=1"),
    ("ApiRollupRegistrationPostBackUrl", "", ""),
    ("RedirectOnExitUrl", "Closer", "closer"),
    ("RedirectOnExitUrl", "http://example.com/done", "http://example.com/done"),
    ("ContentLangToUrl", '[{"label": "English", "srclang": "en", "url": "en.mp4"}]', None),
    ("xAPIRewriteStatementModifier", '{"context": {"platform": "coursehost"}}', None),
    ("Lti11Roles", "  Learner, Mentor ", "  Learner, Mentor "),  # free text is kept exactly
]


@pytest.fixture
def course(api: Api) -> str:
    api.import_course("c", package())
    return course_path("c")


@pytest.mark.parametrize(("setting_id", "value", "reason"), BAD)
def test_bad_values_are_refused_with_the_setting_and_the_reason(
    api: Api, setting_id: str, value: Any, reason: str
) -> None:
    response = post(api, APP, {setting_id: value})
    assert response.status_code == 400, response.text
    message = response.json()["message"]
    assert f"configuration setting '{setting_id}'" in message
    assert reason in message
    assert "explicitValue" not in item(api, APP, setting_id)


@pytest.mark.parametrize(("setting_id", "value", "stored"), GOOD)
def test_good_values_are_stored_in_their_canonical_form(
    api: Api, course: str, setting_id: str, value: Any, stored: str | None
) -> None:
    expected = value if stored is None else stored
    set_ok(api, course, {setting_id: value})
    assert effective(api, course, setting_id) == (expected, "course", expected)


def test_an_unknown_setting_is_refused_everywhere(api: Api, course: str) -> None:
    for path in (APP, course, course_path("c", 0)):
        response = post(api, path, {"NoSuchSetting": "1"})
        assert response.status_code == 400
        assert response.json()["message"] == "No configuration setting found with id 'NoSuchSetting'"
        response = api.request("DELETE", f"{path}/NoSuchSetting")
        assert response.status_code == 400
        assert response.json()["message"] == "No configuration setting found with id 'NoSuchSetting'"


@pytest.mark.parametrize(
    ("path", "params"),
    [
        (course_path("c"), {}),
        (course_path("c", 0), {}),
        (APP, {"learningStandard": "SCORM12", "singleSco": "false"}),
    ],
)
def test_an_application_only_setting_is_refused_below_the_application(
    api: Api, course: str, path: str, params: dict[str, str]
) -> None:
    response = post(api, path, {"ApiPostbackTimeoutSeconds": "30"}, **params)
    assert response.status_code == 400
    assert "'ApiPostbackTimeoutSeconds' cannot be set at " in response.json()["message"]
    assert "it can be set at: application" in response.json()["message"]
    assert api.request("DELETE", f"{path}/ApiPostbackTimeoutSeconds", params=params).status_code == 400
    set_ok(api, APP, {"ApiPostbackTimeoutSeconds": "30"})


@pytest.mark.parametrize("bad", [{"PlayerTimeLimit": "soon"}, {"NoSuchSetting": "1"}])
def test_a_post_is_atomic(api: Api, ctx: Context, course: str, bad: dict[str, str]) -> None:
    for path in (APP, course, course_path("c", 0)):
        response = post(api, path, {"PlayerShowNavBar": "true", "PlayerShowHelp": "false"} | bad)
        assert response.status_code == 400
        assert "explicitValue" not in item(api, path, "PlayerShowNavBar")
    assert stored_rows(ctx) == 0


def test_setting_ids_match_without_case_and_are_stored_as_the_catalog_spells_them(api: Api) -> None:
    set_ok(api, APP, {"playershownavbar": "true"})
    assert effective(api, APP, "PlayerShowNavBar") == ("true", "application", "true")
    assert api.request("DELETE", f"{APP}/PLAYERSHOWNAVBAR").status_code == 204
    assert effective(api, APP, "PlayerShowNavBar") == ("", "default", None)


def test_the_last_value_for_a_repeated_id_wins(api: Api) -> None:
    body = {
        "settings": [{"settingId": "PlayerTimeLimit", "value": "5"}, {"settingId": "playertimelimit", "value": "9"}]
    }
    assert api.request("POST", APP, json=body).status_code == 204
    assert effective(api, APP, "PlayerTimeLimit") == ("9", "application", "9")


def test_posting_again_replaces_the_value(api: Api) -> None:
    set_ok(api, APP, {"PlayerTimeLimit": "5"})
    set_ok(api, APP, {"PlayerTimeLimit": "6"})
    assert effective(api, APP, "PlayerTimeLimit") == ("6", "application", "6")


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"settings": [{"settingId": "PlayerTimeLimit"}]}, "settings.0.value"),
        ({"settings": [{"value": "1"}]}, "settings.0.settingId"),
        ({"settings": [{"settingId": "PlayerTimeLimit", "value": {"a": 1}}]}, "settings.0.value"),
    ],
)
def test_malformed_bodies_are_400(api: Api, body: dict[str, Any], where: str) -> None:
    response = api.request("POST", APP, json=body)
    assert response.status_code == 400
    assert where in response.json()["message"]


def test_an_empty_post_is_accepted_and_changes_nothing(api: Api, ctx: Context) -> None:
    assert api.request("POST", APP, json={}).status_code == 204
    assert api.request("POST", APP, json={"settings": []}).status_code == 204
    assert stored_rows(ctx) == 0


def test_overlong_values_are_refused(api: Api) -> None:
    response = post(api, APP, {"Lti11Roles": "x" * 70_000})
    assert response.status_code == 400
    assert "longer than 65536 characters" in response.json()["message"]
