"""SCORM 1.2 run-time data as ADL xAPI SCORM Profile statements (profile sections 5.0 and 6.0)."""

from __future__ import annotations

import copy
import uuid

from coursehost.xapi.scorm.mapping import changes, ending, new_attempt, statement_id
from tests.unit.xapi.scorm.fixtures import NOW, SCO, SCO_ACTIVITY, context, finished, interaction12, scorm12

ADL = "http://adlnet.gov/expapi/verbs/"


def verbs(statements: list[dict]) -> list[str]:
    return [s["verb"]["id"].removeprefix(ADL) for s in statements]


def answered() -> dict:
    snapshot = scorm12(1, lesson_status="incomplete")
    snapshot["cmi"]["interactions"] = [interaction12("q1", "choice", "a,b", "a", "wrong", "00:00:05")]
    return snapshot


def test_first_commit_launches_initializes_and_answers() -> None:
    outcome = changes(SCO, "scorm12", None, answered(), None, NOW)
    attempt = new_attempt(SCO, 1)
    assert uuid.UUID(attempt).version == 5
    assert outcome.attempt == attempt
    assert verbs(outcome.statements) == ["launched", "initialized", "responded"]
    launched, initialized, responded = outcome.statements
    attempt_iri = f"{SCO.sco_iri}?attemptId={attempt}"
    assert initialized == {
        "id": statement_id(SCO, "initialized", 1),
        "actor": SCO.actor,
        "verb": {"id": ADL + "initialized", "display": {"en-US": "initialized"}},
        "object": SCO_ACTIVITY,
        "context": context(attempt_iri),
        "timestamp": NOW,
    }
    assert launched["object"] == SCO_ACTIVITY
    assert launched["id"] == statement_id(SCO, "launched", 1)
    assert responded == {
        "id": statement_id(SCO, "responded/0", 1),
        "actor": SCO.actor,
        "verb": {"id": ADL + "responded", "display": {"en-US": "responded"}},
        "object": {
            "objectType": "Activity",
            "id": f"{SCO.sco_iri}/interactions/q1",
            "definition": {
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                "interactionType": "choice",
                "correctResponsesPattern": ["a[,]b"],
                "choices": [{"id": "a"}, {"id": "b"}],
            },
        },
        "result": {"response": "a", "success": False, "duration": "PT5S"},
        "context": context(attempt_iri, parent=[SCO_ACTIVITY]),
        "timestamp": NOW,
    }


def test_finish_scores_completes_passes_and_terminates_with_the_result() -> None:
    first = answered()
    last = finished(first)
    last["sequence"] = 2
    last["cmi"]["core"] |= {"lesson_status": "passed", "score": {"raw": "90", "min": "0", "max": "100"}}
    last["cmi"]["core"]["session_time"] = "00:01:30"
    outcome = changes(SCO, "scorm12", first, last, new_attempt(SCO, 1), NOW)
    assert verbs(outcome.statements) == ["scored", "completed", "passed", "terminated"]
    score = {"scaled": 0.9, "raw": 90, "min": 0, "max": 100}
    assert outcome.statements[0]["result"] == {"score": score}
    assert outcome.statements[3]["result"] == {
        "score": score,
        "success": True,
        "completion": True,
        "duration": "PT1M30S",
    }
    assert outcome.statements[3]["id"] == statement_id(SCO, "end", 2)
    assert all(
        s["context"]["contextActivities"]["grouping"][1]["id"].endswith(new_attempt(SCO, 1)) for s in outcome.statements
    )
    # Nothing that did not change is said twice (the interaction was already answered).
    assert "responded" not in verbs(outcome.statements)


def test_a_replayed_pair_gives_the_same_statements() -> None:
    assert changes(SCO, "scorm12", None, answered(), None, NOW) == changes(SCO, "scorm12", None, answered(), None, NOW)


def test_suspend_then_resume_keeps_the_attempt() -> None:
    first = changes(SCO, "scorm12", None, answered(), None, NOW)
    suspended = finished(answered())
    suspended["sequence"] = 2
    suspended["cmi"]["core"]["exit"] = "suspend"
    ended = changes(SCO, "scorm12", answered(), suspended, first.attempt, NOW)
    assert verbs(ended.statements) == ["suspended"]
    assert ended.statements[0]["result"] == {"completion": False}
    resumed = copy.deepcopy(suspended) | {"sequence": 3, "terminated": False, "reason": "commit"}
    resumed["cmi"]["core"] |= {"entry": "resume", "exit": ""}
    again = changes(SCO, "scorm12", suspended, resumed, ended.attempt, NOW)
    assert verbs(again.statements) == ["launched", "resumed"]
    assert again.attempt == first.attempt
    grouping = again.statements[1]["context"]["contextActivities"]["grouping"]
    assert grouping[1]["id"] == f"{SCO.sco_iri}?attemptId={first.attempt}"


def test_a_launch_after_a_normal_exit_is_a_new_attempt_that_keeps_1_2_data() -> None:
    done = finished(scorm12(4, lesson_status="completed"))
    again = scorm12(5, lesson_status="completed", entry="")
    outcome = changes(SCO, "scorm12", done, again, new_attempt(SCO, 1), NOW)
    assert verbs(outcome.statements) == ["launched", "initialized"]  # completion was kept, not achieved again
    assert outcome.attempt == new_attempt(SCO, 5) != new_attempt(SCO, 1)


def test_unloaded_sco_ends_its_session() -> None:
    snapshot = finished(scorm12(2, lesson_status="incomplete", session_time="00:00:10"), "unload")
    snapshot["terminated"] = False
    outcome = changes(SCO, "scorm12", scorm12(1), snapshot, new_attempt(SCO, 1), NOW)
    assert verbs(outcome.statements) == ["terminated"]
    assert outcome.statements[0]["result"] == {"completion": False, "duration": "PT10S"}


def test_exit_ends_an_open_session_once() -> None:
    statements = ending(SCO, "scorm12", scorm12(3, exit="suspend"), "a1", NOW)
    assert verbs(statements) == ["suspended"]
    assert statements[0]["id"] == statement_id(SCO, "exit", 3)
    assert ending(SCO, "scorm12", finished(scorm12(3)), "a1", NOW) == []


def test_status_and_comments_and_objectives() -> None:
    before = scorm12(1)
    after = scorm12(2, lesson_status="failed", score={"raw": "120", "min": "", "max": "100"})
    after["cmi"]["comments"] = "Too hard"
    after["cmi"]["objectives"] = [{"id": "obj/1", "score": {"raw": "", "min": "", "max": ""}, "status": "passed"}]
    outcome = changes(SCO, "scorm12", before, after, "a1", NOW)
    assert verbs(outcome.statements) == ["scored", "completed", "failed", "commented", "completed", "passed"]
    # raw 120 is over max 100: xAPI wants min <= raw <= max, so max is left out, and so is scaled (raw / 100 > 1).
    assert outcome.statements[0]["result"] == {"score": {"raw": 120}}
    assert outcome.statements[3]["result"] == {"response": "Too hard"}
    objective = outcome.statements[5]
    assert objective["object"]["id"] == f"{SCO.sco_iri}/objectives/obj%2F1"
    assert objective["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/objective"
    assert objective["context"]["contextActivities"]["parent"] == [SCO_ACTIVITY]


def test_score_keeps_what_xapi_accepts() -> None:
    # raw 120 over max 100: max is dropped (xAPI: raw between min and max), no scaled (1.2 raw/100 out of 0..1).
    after = scorm12(2, score={"raw": "100", "min": "80", "max": "20"})
    assert changes(SCO, "scorm12", scorm12(1), after, "a", NOW).statements[0]["result"] == {
        "score": {"scaled": 1, "raw": 100}
    }


def test_1_2_patterns_in_xapi_syntax() -> None:
    snapshot = scorm12(1)
    snapshot["cmi"]["interactions"] = [
        interaction12("tf", "true-false", "t", "0", "correct"),
        interaction12("m", "matching", "1.a,2.b", "1.a,2.c", "wrong"),
        interaction12("s", "sequencing", "{x,y,z}", "y,x,z", "neutral"),
        interaction12("n", "numeric", "5", "4", "0.5"),
        interaction12("", "performance", "", "", ""),  # never answered: no statement
    ]
    responded = [
        s
        for s in changes(SCO, "scorm12", None, snapshot, None, NOW).statements
        if s["verb"]["id"].endswith("responded")
    ]
    definitions = [s["object"]["definition"] for s in responded]
    assert [s["result"] for s in responded] == [
        {"response": "false", "success": True},
        {"response": "1[.]a[,]2[.]c", "success": False},
        {"response": "y[,]x[,]z"},
        {"response": "4", "score": {"raw": 0.5}},
    ]
    assert definitions[0]["correctResponsesPattern"] == ["true"]
    assert definitions[1]["source"] == [{"id": "1"}, {"id": "2"}]
    assert definitions[1]["target"] == [{"id": "a"}, {"id": "b"}, {"id": "c"}]
    assert definitions[2]["choices"] == [{"id": "x"}, {"id": "y"}, {"id": "z"}]
    assert definitions[3] == {
        "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
        "interactionType": "numeric",
        "correctResponsesPattern": ["5"],
    }


def test_junk_snapshots_produce_statements_without_failing() -> None:
    odd = {"sequence": True, "cmi": {"core": {"score": [], "lesson_status": 3}, "objectives": "x"}}
    for junk in ({}, {"cmi": []}, {"sequence": "x", "cmi": {"core": "x", "interactions": [1, None, {"id": []}]}}, odd):
        outcome = changes(SCO, "scorm12", junk, junk, None, NOW)
        assert verbs(outcome.statements) == []
        assert verbs(changes(SCO, "scorm12", None, junk, None, NOW).statements) == ["launched", "initialized"]
