"""The configuration settings the player honours, resolved through the cascade for the version it launches."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import Api
from tests.integration.player.helpers import config, launch
from tests.integration.player.packages import scorm12_course


@pytest.fixture
def course(api: Api) -> str:
    api.import_course("course-1", scorm12_course(count=2))
    return "course-1"


def configure(api: Api, path: str, **values: Any) -> None:
    body = {"settings": [{"settingId": key, "value": value} for key, value in values.items()]}
    response = api.request("POST", path, json=body)
    assert response.status_code == 204, response.text


def test_defaults(api: Api, course: str) -> None:
    _base, page = launch(api, course)
    settings = config(page)["settings"]
    assert settings["launchType"] == "FRAMESET"
    assert settings["showStructure"] is True  # two SCOs
    assert settings["suspendDataMaxLength"] is None
    for element in ('class="ch-titlebar"', 'id="ch-outline"', 'class="ch-navbar"', 'id="ch-exit"'):
        assert element in page.text
    assert "ch-outline-open" in page.text


def test_single_sco_course_has_no_outline_by_default(api: Api) -> None:
    api.import_course("single", scorm12_course(count=1))
    _base, page = launch(api, "single")
    assert 'id="ch-outline"' not in page.text


def test_chrome_settings_through_the_cascade(api: Api, course: str) -> None:
    configure(api, "/appManagement/configuration", PlayerShowTitleBar="false", PlayerShowNavBar="false")
    configure(api, f"/courses/{course}/configuration", PlayerShowNavBar="true", PlayerShowFinishButton="false")
    configure(
        api,
        f"/courses/{course}/versions/0/configuration",
        PlayerShowCourseStructure="false",
        PlayerSuspendDataMaxLength="9000",
        PlayerCourseStructureStartsOpen="false",
    )
    _base, page = launch(api, course)
    assert 'class="ch-titlebar"' not in page.text  # application level
    assert 'class="ch-navbar"' in page.text  # the course overrides the application
    assert 'id="ch-exit"' not in page.text
    assert 'id="ch-outline"' not in page.text  # the version's own value
    settings = config(page)["settings"]
    assert settings["suspendDataMaxLength"] == 9000
    assert settings["structureOpen"] is False


def test_learning_standard_level_applies(api: Api, course: str) -> None:
    response = api.request(
        "POST",
        "/appManagement/configuration",
        params={"learningStandard": "SCORM12", "singleSco": "false"},
        json={"settings": [{"settingId": "PlayerEnableFlowNav", "value": "false"}]},
    )
    assert response.status_code == 204
    _base, page = launch(api, course)
    assert config(page)["settings"]["flowNav"] is False


def test_exit_actions(api: Api, course: str) -> None:
    configure(
        api,
        f"/courses/{course}/configuration",
        PlayerIntermediateScoSatisfiedNormalExitAction="DISPLAY_MESSAGE",
        PlayerFinalScoCourseNotSatisfiedSuspendExitAction="DO_NOTHING",
    )
    _base, page = launch(api, course)
    actions = config(page)["settings"]["exitActions"]
    assert actions["intermediate"]["satisfied"]["normal"] == "DISPLAY_MESSAGE"
    assert actions["intermediate"]["notSatisfied"]["normal"] == "GO_TO_NEXT_SCO"
    assert actions["final"]["notSatisfied"]["suspend"] == "DO_NOTHING"
    assert actions["final"]["satisfied"]["normal"] == "EXIT_COURSE"


def test_new_window_launch_type_shows_the_launcher(api: Api, course: str) -> None:
    configure(
        api,
        f"/courses/{course}/configuration",
        PlayerLaunchType="NEW_WINDOW_AFTER_CLICK",
        PlayerDesiredWidth="800",
    )
    base, page = launch(api, course)
    assert 'id="ch-launcher"' in page.text
    assert '"afterClick": true' in page.text
    assert '"width": 800' in page.text
    player = api.client.get(base + "?window=player")
    assert 'id="ch-config"' in player.text


def test_stylesheets(api: Api, course: str) -> None:
    configure(
        api, "/appManagement/configuration", ModernPlayerCustomizationStylesheetUrl="https://cdn.example.com/app.css"
    )
    _base, page = launch(api, course)
    assert 'href="https://cdn.example.com/app.css"' in page.text
    # The launch link's cssUrl wins over the setting.
    _base, page = launch(api, course, cssUrl="https://cdn.example.com/link.css?a=1&b=2")
    assert 'href="https://cdn.example.com/link.css?a=1&amp;b=2"' in page.text
    assert 'href="https://cdn.example.com/app.css"' not in page.text


def test_redirect_on_exit_setting_when_the_link_has_none(api: Api, course: str) -> None:
    configure(api, f"/courses/{course}/configuration", RedirectOnExitUrl="https://lms.example.com/home")
    base, _page = launch(api, course)
    assert api.client.post(base + "exit").json()["redirect"] == "https://lms.example.com/home"
    base, _page = launch(api, course, redirectOnExitUrl="closer")
    assert api.client.post(base + "exit").json()["redirect"] == "closer"


@pytest.mark.parametrize(
    ("culture", "accept", "next_label"),
    [("fr-CA", None, "Suivant"), (None, "es-MX,es;q=0.9,en;q=0.5", "Siguiente"), ("de", "de", "Next")],
)
def test_culture_selects_the_ui_language(
    api: Api, course: str, culture: str | None, accept: str | None, next_label: str
) -> None:
    body = {"culture": culture} if culture else {}
    headers = {"accept-language": accept} if accept else {}
    response = api.request("POST", f"/courses/{course}/preview", json=body)
    launch_path = response.json()["launchLink"].removeprefix("http://testserver")
    opened = api.client.get(launch_path, headers=headers)
    assert f"{next_label} &#8594;" in opened.text
