"""The cmi5 rules for an AU's statements and the moveOn evaluation (xapi/cmi5/rules.py), one test per rule, named
by the cmi5 requirement (CATAPULT's numbering)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from coursehost.xapi.cmi5 import rules
from coursehost.xapi.cmi5.statements import (
    CATEGORY_CMI5,
    CATEGORY_MOVEON,
    EXT_MASTERY,
    EXT_SESSION,
    VERB_COMPLETED,
    VERB_FAILED,
    VERB_INITIALIZED,
    VERB_PASSED,
    VERB_TERMINATED,
    AuLaunch,
)

ACTOR = {"objectType": "Agent", "account": {"homePage": "http://h/lrs/app", "name": "preview"}}
LAUNCH = AuLaunch(
    actor=ACTOR,
    registration="0b7c8a4e-6c1e-4c9b-9f3a-2f4f2b1d6a10",
    session_id="5e1c7c3a-2d0e-4f8b-a1c4-6b2f0d9e8a77",
    activity_id="urn:uuid:8f0a2c1e-0000-5000-8000-000000000001",
    publisher_id="https://example.com/au/1",
    move_on="CompletedAndPassed",
    mastery_score=0.8,
)


def state(**changes: Any) -> dict[str, Any]:
    base = rules.new_state(LAUNCH, "2026-01-01T00:00:00+00:00", {})
    base["initialized"] = True
    base["learnerPreferencesRead"] = True
    return {**base, **changes}


def statement(verb: str, result: dict[str, Any] | None = None, **context: Any) -> dict[str, Any]:
    categories = [{"id": CATEGORY_CMI5}]
    if result and ("success" in result or "completion" in result):
        categories.append({"id": CATEGORY_MOVEON})
    extensions = {EXT_SESSION: LAUNCH.session_id}
    if verb in (VERB_PASSED, VERB_FAILED):
        extensions[EXT_MASTERY] = 0.8
    made: dict[str, Any] = {
        "id": "7d1c0c4e-5b2a-4f7e-9a61-3c5d8e2f1a00",
        "timestamp": "2026-01-01T00:00:01.000Z",
        "actor": copy.deepcopy(ACTOR),
        "verb": {"id": verb},
        "object": {"id": LAUNCH.activity_id},
        "context": {
            "registration": LAUNCH.registration,
            "contextActivities": {"category": categories, "grouping": [{"id": LAUNCH.publisher_id}]},
            "extensions": extensions,
            **context,
        },
    }
    if result is not None:
        made["result"] = result
    return made


PASSED = {"success": True, "duration": "PT1S", "score": {"scaled": 0.9}}
FAILED = {"success": False, "duration": "PT1S", "score": {"scaled": 0.5}}
COMPLETED = {"completion": True, "duration": "PT1S"}


def test_good_statements_pass() -> None:
    assert rules.check_au_statement(statement(VERB_INITIALIZED), state(initialized=False)) is None
    assert rules.check_au_statement(statement(VERB_PASSED, PASSED), state()) is None
    assert rules.check_au_statement(statement(VERB_FAILED, FAILED), state()) is None
    assert rules.check_au_statement(statement(VERB_COMPLETED, COMPLETED), state()) is None
    assert rules.check_au_statement(statement(VERB_TERMINATED, {"duration": "PT2S"}), state()) is None
    allowed = statement("http://adlnet.gov/expapi/verbs/experienced")
    allowed["context"]["contextActivities"] = {}
    assert rules.check_au_statement(allowed, state()) is None  # cmi5 allowed: only the session rules


@pytest.mark.parametrize(
    ("requirement", "made", "current"),
    [
        ("9.3.0.0-4", statement(VERB_COMPLETED, COMPLETED), state(initialized=False)),
        ("9.3.2.0-3", statement(VERB_INITIALIZED), state()),
        ("9.3.0.0-5", statement(VERB_COMPLETED, COMPLETED), state(terminated=True)),
        ("9.3.6.0-2", statement(VERB_COMPLETED, COMPLETED), state(abandoned=True)),
        ("9.6.3.1-4", statement(VERB_COMPLETED, COMPLETED, extensions={}), state()),
        ("9.6.1.0-1", statement(VERB_COMPLETED, COMPLETED, registration="other"), state()),
        (
            "9.6.2.0-1",
            statement(
                VERB_COMPLETED,
                COMPLETED,
                contextActivities={"category": [{"id": CATEGORY_CMI5}, {"id": CATEGORY_MOVEON}]},
            ),
            state(),
        ),  # noqa: E501
        ("9.3.0.0-2", statement(VERB_COMPLETED, COMPLETED), state(verbs=[VERB_COMPLETED])),
        ("9.3.0.0-3", statement(VERB_FAILED, FAILED), state(verbs=[VERB_PASSED])),
        ("9.3.0.0-6", statement(VERB_COMPLETED, COMPLETED), state(registrationFacts={"completed": True})),
        ("9.3.0.0-7", statement(VERB_PASSED, PASSED), state(registrationFacts={"passed": True})),
        ("9.3.0.0-8", statement(VERB_FAILED, FAILED), state(registrationFacts={"passed": True})),
        ("10.2.2.0-2", statement(VERB_COMPLETED, COMPLETED), state(launchMode="Browse")),
        ("9.5.1.0-2", statement(VERB_COMPLETED, {**COMPLETED, "score": {"scaled": 1}}), state()),
        ("9.5.1.0-3", statement(VERB_PASSED, {**PASSED, "score": {"raw": 9, "max": 10}}), state()),
        ("9.5.2.0-1", statement(VERB_PASSED, {**PASSED, "success": False}), state()),
        ("9.5.2.0-2", statement(VERB_FAILED, {**FAILED, "success": True}), state()),
        ("9.5.2.0-3", statement(VERB_COMPLETED, {**COMPLETED, "success": True}), state()),
        ("9.5.3.0-1", statement(VERB_COMPLETED, {"completion": False, "duration": "PT1S"}), state()),
        ("9.5.3.0-2", statement(VERB_PASSED, {**PASSED, "completion": True}), state()),
        ("9.5.4.1", statement(VERB_TERMINATED, {}), state()),
        ("9.5.4.1", statement(VERB_PASSED, {"success": True, "score": {"scaled": 0.9}}), state()),
        ("9.3.4.0-2", statement(VERB_PASSED, {**PASSED, "score": {"scaled": 0.5}}), state()),
        ("9.3.5.0-2", statement(VERB_FAILED, {**FAILED, "score": {"scaled": 0.8}}), state()),
        ("9.3.0.0-1", statement("https://w3id.org/xapi/adl/verbs/satisfied"), state()),
        ("11.0.0.0-3", statement(VERB_INITIALIZED), state(initialized=False, learnerPreferencesRead=False)),
    ],
)
def test_each_rule_refuses_what_it_names(requirement: str, made: dict[str, Any], current: dict[str, Any]) -> None:
    reason = rules.check_au_statement(made, current)
    assert reason is not None
    assert requirement in reason


def test_an_au_sets_the_id_and_a_utc_timestamp_itself_9_1_0_0_1_and_9_7_0_0() -> None:
    unnamed = statement(VERB_COMPLETED, COMPLETED)
    del unnamed["id"]
    untimed = statement(VERB_COMPLETED, COMPLETED)
    del untimed["timestamp"]
    local = statement(VERB_COMPLETED, COMPLETED)
    local["timestamp"] = "2026-01-01T00:00:01.000-06:00"
    assert "9.1.0.0-1" in (rules.check_au_statement(unnamed, state()) or "")
    assert "9.7.0.0-1" in (rules.check_au_statement(untimed, state()) or "")
    assert "9.7.0.0-2" in (rules.check_au_statement(local, state()) or "")
    utc = statement(VERB_COMPLETED, COMPLETED)
    utc["timestamp"] = "2026-01-01T00:00:01+00:00"
    assert rules.check_au_statement(utc, state()) is None


def test_the_actor_must_be_an_agent_9_2_0_0_2() -> None:
    made = statement(VERB_PASSED, PASSED)
    made["actor"]["objectType"] = "Group"
    assert "9.2.0.0-2" in (rules.check_au_statement(made, state()) or "")


@pytest.mark.parametrize(
    ("requirement", "content_type", "body"),
    [
        ("11.0.0.0-5", None, b'{"languagePreference": "en-US", "audioPreference": "on"}'),
        ("11.0.0.0-5", "text/plain", b"just some text"),
        ("11.0.0.0-5", "application/json", b"[1]"),
        ("11.0.0.0-5", "application/json", b"{not json"),
        ("11.0.0.0-5", "application/json", b'{"audioPreference": "on"}'),
        ("11.0.0.0-5", "application/json", b'{"languagePreference": "en-US"}'),
        ("11.1.0.0-1", "application/json", b'{"languagePreference": "not comma separated", "audioPreference": "on"}'),
        ("11.1.0.0-1", "application/json", b'{"languagePreference": "", "audioPreference": "on"}'),
        ("11.2", "application/json", b'{"languagePreference": "en-US", "audioPreference": "loud"}'),
    ],
)
def test_learner_preferences_an_au_writes_must_be_well_formed(
    requirement: str, content_type: str | None, body: bytes
) -> None:
    assert requirement in (rules.check_learner_preferences(content_type, body) or "")


def test_well_formed_learner_preferences_pass_11_0() -> None:
    body = b'{"languagePreference": "en-US,fr-FR,fr-BE", "audioPreference": "off"}'
    assert rules.check_learner_preferences("application/json; charset=utf-8", body) is None


def test_the_object_must_be_the_launch_activity_id_8_1_5_0_6() -> None:
    made = statement(VERB_COMPLETED, COMPLETED)
    made["object"]["id"] = LAUNCH.publisher_id
    assert "8.1.5.0-6" in (rules.check_au_statement(made, state()) or "")


def test_the_actor_must_be_the_launch_actor_8_1_3_0_3() -> None:
    made = statement(VERB_COMPLETED, COMPLETED)
    made["actor"] = {"mbox": "mailto:someone@example.com"}
    assert "8.1.3.0-3" in (rules.check_au_statement(made, state()) or "")


def test_moveon_category_needs_an_outcome_and_an_outcome_needs_it_9_6_2_2() -> None:
    made = statement(VERB_COMPLETED, COMPLETED)
    made["context"]["contextActivities"]["category"] = [{"id": CATEGORY_CMI5}]
    assert "9.6.2.2-1" in (rules.check_au_statement(made, state()) or "")
    stray = statement(VERB_TERMINATED, {"duration": "PT1S"})
    stray["context"]["contextActivities"]["category"].append({"id": CATEGORY_MOVEON})
    assert "9.6.2.2-2" in (rules.check_au_statement(stray, state()) or "")
    allowed = statement("http://adlnet.gov/expapi/verbs/experienced")
    allowed["context"]["contextActivities"]["category"] = [{"id": CATEGORY_MOVEON}]
    assert "9.6.2.2-2" in (rules.check_au_statement(allowed, state()) or "")


def test_a_scored_passed_needs_the_mastery_extension_9_6_3_2_2() -> None:
    made = statement(VERB_PASSED, PASSED)
    del made["context"]["extensions"][EXT_MASTERY]
    assert "9.6.3.2-2" in (rules.check_au_statement(made, state()) or "")
    assert rules.check_au_statement(made, state(masteryScore=None)) is None


def test_advance_tracks_the_session_and_the_registration() -> None:
    current = rules.new_state(LAUNCH, "t0", {"completed": True})
    assert current["registrationFacts"] == {"completed": True, "passed": False, "failed": False}
    current = rules.advance(current, statement(VERB_INITIALIZED), "t1")
    current = rules.advance(current, statement(VERB_PASSED, PASSED), "t2")
    assert (current["initialized"], current["lastAt"], current["verbs"]) == (
        True,
        "t2",
        [VERB_INITIALIZED, VERB_PASSED],
    )
    assert current["registrationFacts"]["passed"] is True
    current = rules.advance(current, statement(VERB_TERMINATED, {"duration": "PT1S"}), "t3")
    assert current["terminated"] is True


@pytest.mark.parametrize(
    ("move_on", "completed", "passed", "met"),
    [
        ("NotApplicable", False, False, True),
        ("Passed", False, True, True),
        ("Passed", True, False, False),
        ("Completed", True, False, True),
        ("CompletedAndPassed", True, False, False),
        ("CompletedAndPassed", True, True, True),
        ("CompletedOrPassed", False, True, True),
        ("CompletedOrPassed", False, False, False),
    ],
)
def test_move_on(move_on: str, completed: bool, passed: bool, met: bool) -> None:
    assert rules.move_on_met(move_on, completed, passed) is met


def test_satisfied_nodes_are_blocks_whose_aus_all_met_innermost_first() -> None:
    nodes = [
        {"parent": -1, "depth": 0, "href": None},  # course
        {"parent": 0, "depth": 1, "href": None},  # block
        {"parent": 1, "depth": 2, "href": "a.html"},
        {"parent": 1, "depth": 2, "href": None},  # inner block
        {"parent": 3, "depth": 3, "href": "b.html"},
        {"parent": 0, "depth": 1, "href": "c.html"},
    ]
    assert rules.satisfied_nodes(nodes, [4]) == [3]
    assert rules.satisfied_nodes(nodes, [2, 4]) == [3, 1]
    assert rules.satisfied_nodes(nodes, [2, 4, 5]) == [3, 1, 0]
