"""The player's configuration from resolved setting values: every setting it reads exists, and defaults apply."""

from __future__ import annotations

from coursehost.configuration.catalog import find
from coursehost.player.behaviour import behaviour, exit_setting, setting_ids


def test_every_setting_read_is_in_the_catalog() -> None:
    missing = [setting_id for setting_id in setting_ids() if find(setting_id) is None]
    assert missing == []
    assert exit_setting("Final", False, "Timeout") == "PlayerFinalScoCourseNotSatisfiedTimeoutExitAction"
    assert exit_setting("Intermediate", True, "Normal") == "PlayerIntermediateScoSatisfiedNormalExitAction"


def test_defaults_when_nothing_is_set() -> None:
    config = behaviour(dict.fromkeys(setting_ids(), ""), multi=True)
    assert config["showNavBar"]
    assert config["flowNav"]
    assert config["choiceNav"]
    assert config["showFinish"]
    assert config["showStructure"] is True
    assert config["launchType"] == "FRAMESET"
    assert config["suspendDataMaxLength"] is None
    assert config["exitActions"]["intermediate"]["satisfied"]["normal"] == "GO_TO_NEXT_SCO"
    assert config["exitActions"]["intermediate"]["notSatisfied"]["suspend"] == "EXIT_COURSE"
    assert config["exitActions"]["final"]["satisfied"]["normal"] == "EXIT_COURSE"
    assert behaviour({}, multi=False)["showStructure"] is False


def test_values_are_typed() -> None:
    config = behaviour(
        {
            "PlayerShowNavBar": "false",
            "PlayerShowCourseStructure": "true",
            "PlayerSuspendDataMaxLength": "9000",
            "MediaContentCompletionThreshold": "95",
            "PlayerLaunchType": "NEW_WINDOW",
            "PlayerFinalScoCourseSatisfiedNormalExitAction": "DO_NOTHING",
        },
        multi=False,
    )
    assert config["showNavBar"] is False
    assert config["showStructure"] is True
    assert config["suspendDataMaxLength"] == 9000
    assert config["mediaThreshold"] == 95
    assert config["launchType"] == "NEW_WINDOW"
    assert config["exitActions"]["final"]["satisfied"]["normal"] == "DO_NOTHING"
