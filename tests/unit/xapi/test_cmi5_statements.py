"""What the cmi5 LMS writes (xapi/cmi5/statements.py): generated ids, LMS.LaunchData, launched, satisfied,
abandoned. Requirement ids are the cmi5 spec's (CATAPULT's numbering)."""

from __future__ import annotations

from datetime import UTC, datetime

from coursehost.xapi.cmi5 import statements as s

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
LAUNCH = s.AuLaunch(
    actor={"objectType": "Agent", "account": {"homePage": "http://h/lrs/app", "name": "preview"}},
    registration="0b7c8a4e-6c1e-4c9b-9f3a-2f4f2b1d6a10",
    session_id="5e1c7c3a-2d0e-4f8b-a1c4-6b2f0d9e8a77",
    activity_id=s.generated_id("1/c/0", "https://example.com/au/1"),
    publisher_id="https://example.com/au/1",
    move_on="Passed",
    mastery_score=0.75,
    launch_parameters="a=1",
    entitlement_key="k",
)


def test_generated_ids_are_stable_and_never_the_publishers_8_1_5() -> None:
    assert s.generated_id("1/c/0", "https://example.com/au/1") == LAUNCH.activity_id  # 8.1.5.0-4
    assert LAUNCH.activity_id != LAUNCH.publisher_id  # 8.1.5.0-3
    assert s.generated_id("1/c/1", "https://example.com/au/1") != LAUNCH.activity_id
    assert LAUNCH.activity_id.startswith("urn:uuid:")


def test_launch_data_document_10_2() -> None:
    document = s.launch_data(LAUNCH, "http://h/return")
    assert document == {
        "contextTemplate": {
            "contextActivities": {"grouping": [{"id": LAUNCH.publisher_id, "objectType": "Activity"}]},
            "extensions": {s.EXT_SESSION: LAUNCH.session_id},
        },
        "launchMode": "Normal",
        "moveOn": "Passed",
        "returnURL": "http://h/return",
        "masteryScore": 0.75,
        "launchParameters": "a=1",
        "entitlementKey": {"courseStructure": "k"},
    }
    bare = s.launch_data(s.AuLaunch(LAUNCH.actor, "r", "sid", "aid", "pid"), None)
    assert set(bare) == {"contextTemplate", "launchMode", "moveOn"}
    assert bare["moveOn"] == "NotApplicable"


def test_launched_statement_9_3_1_and_9_6_3() -> None:
    made = s.launched(LAUNCH, "http://h/au.html?x=1", NOW)
    assert made["verb"]["id"] == s.VERB_LAUNCHED
    assert made["object"] == {"id": LAUNCH.activity_id, "objectType": "Activity"}
    assert made["actor"] == LAUNCH.actor
    assert made["timestamp"] == "2026-01-02T03:04:05Z"
    context = made["context"]
    assert context["registration"] == LAUNCH.registration
    assert context["contextActivities"]["category"] == [{"id": s.CATEGORY_CMI5, "objectType": "Activity"}]
    assert context["contextActivities"]["grouping"] == [{"id": LAUNCH.publisher_id, "objectType": "Activity"}]
    assert context["extensions"] == {
        s.EXT_SESSION: LAUNCH.session_id,
        s.EXT_LAUNCH_MODE: "Normal",
        s.EXT_LAUNCH_URL: "http://h/au.html?x=1",
        s.EXT_MOVE_ON: "Passed",
        s.EXT_MASTERY: 0.75,
        s.EXT_LAUNCH_PARAMETERS: "a=1",
    }
    assert s.launched(LAUNCH, "u", NOW)["id"] != made["id"]


def test_satisfied_statement_9_3_9() -> None:
    block = s.satisfied(LAUNCH, "urn:uuid:b", "https://example.com/block", False, NOW)
    course = s.satisfied(LAUNCH, "urn:uuid:c", "https://example.com/course", True, NOW)
    assert block["verb"]["id"] == s.VERB_SATISFIED
    assert block["object"]["definition"]["type"] == s.TYPE_BLOCK
    assert course["object"]["definition"]["type"] == s.TYPE_COURSE
    assert course["object"]["id"] == "urn:uuid:c"
    assert block["context"]["contextActivities"]["grouping"] == [
        {"id": "https://example.com/block", "objectType": "Activity"}
    ]
    assert block["context"]["extensions"] == {s.EXT_SESSION: LAUNCH.session_id}


def test_abandoned_statement_9_3_6_and_duration() -> None:
    made = s.abandoned(LAUNCH, s.iso_duration(3723.456), NOW)
    assert made["verb"]["id"] == s.VERB_ABANDONED
    assert made["result"] == {"duration": "PT1H2M3.46S"}
    assert made["context"]["extensions"] == {s.EXT_SESSION: LAUNCH.session_id}
    assert s.iso_duration(0) == "PT0H0M0S"
