"""SCORM 2004 run-time data as ADL xAPI SCORM Profile statements (profile sections 5.0 and 6.0; interaction
activities per xAPI 1.0.3 Data 2.4.4.1)."""

from __future__ import annotations

import copy

from coursehost.xapi.scorm.mapping import changes, new_attempt, statement_id
from tests.unit.xapi.scorm.fixtures import NOW, SCO, SCO_ACTIVITY, context, finished, interaction2004, scorm2004
from tests.unit.xapi.scorm.test_scorm12 import ADL, verbs


def test_a_whole_2004_attempt() -> None:
    first = scorm2004(1, completion_status="incomplete", progress_measure="0.5")
    first["cmi"]["interactions"] = [
        interaction2004(
            "q 1", "matching", ["a[.]1[,]b[.]2"], "a[.]1", "incorrect",
            description="{lang=fr}Associez", objectives=[{"id": "o1"}], latency="PT4S",
        )
    ]  # fmt: skip
    start = changes(SCO, "scorm2004", None, first, None, NOW)
    assert verbs(start.statements) == ["launched", "initialized", "responded", "progressed"]
    attempt_iri = f"{SCO.sco_iri}?attemptId={new_attempt(SCO, 1)}"
    objective = {"objectType": "Activity", "id": f"{SCO.sco_iri}/objectives/o1",
                 "definition": {"type": "http://adlnet.gov/expapi/activities/objective"}}  # fmt: skip
    assert start.statements[2] == {
        "id": statement_id(SCO, "responded/0", 1),
        "actor": SCO.actor,
        "verb": {"id": ADL + "responded", "display": {"en-US": "responded"}},
        "object": {
            "objectType": "Activity",
            "id": f"{SCO.sco_iri}/interactions/q%201",
            "definition": {
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                "description": {"fr": "Associez"},
                "interactionType": "matching",
                "correctResponsesPattern": ["a[.]1[,]b[.]2"],
                "source": [{"id": "a"}, {"id": "b"}],
                "target": [{"id": "1"}, {"id": "2"}],
            },
        },
        "result": {"response": "a[.]1", "success": False, "duration": "PT4S"},
        "context": context(attempt_iri, parent=[SCO_ACTIVITY], other=[objective]),
        "timestamp": NOW,
    }
    assert start.statements[3]["result"] == {"score": {"scaled": 0.5}}

    last = finished(first, "terminate") | {"sequence": 2}
    last["cmi"] |= {
        "completion_status": "completed", "success_status": "passed", "session_time": "PT1M30S",
        "score": {"scaled": "0.7", "raw": "70", "min": "0", "max": "100"},
    }  # fmt: skip
    end = changes(SCO, "scorm2004", first, last, start.attempt, NOW)
    assert verbs(end.statements) == ["scored", "completed", "passed", "terminated"]
    score = {"scaled": 0.7, "raw": 70, "min": 0, "max": 100}
    assert end.statements[-1] == {
        "id": statement_id(SCO, "end", 2),
        "actor": SCO.actor,
        "verb": {"id": ADL + "terminated", "display": {"en-US": "terminated"}},
        "object": SCO_ACTIVITY,
        "result": {"score": score, "success": True, "completion": True, "duration": "PT1M30S"},
        "context": context(attempt_iri),
        "timestamp": NOW,
    }

    # The next launch after a normal exit is a new attempt that starts afresh (RTE 4.2.8): said again, with its own.
    again = scorm2004(3, completion_status="completed")
    fresh = changes(SCO, "scorm2004", last, again, end.attempt, NOW)
    assert verbs(fresh.statements) == ["launched", "initialized", "completed"]
    assert fresh.attempt == new_attempt(SCO, 3) != start.attempt


def test_suspend_all_and_exit_suspend_suspend_then_resume() -> None:
    running = scorm2004(1)
    for how in ({"cmi": running["cmi"] | {"exit": "suspend"}}, {"adl": {"nav": {"request": "suspendAll"}, "data": []}}):
        last = finished(running, "terminate") | {"sequence": 2} | how
        outcome = changes(SCO, "scorm2004", running, last, "a1", NOW)
        assert verbs(outcome.statements) == ["suspended"]
        resumed = copy.deepcopy(running) | {"sequence": 3}
        resumed["cmi"]["entry"] = "resume"
        back = changes(SCO, "scorm2004", last, resumed, outcome.attempt, NOW)
        assert verbs(back.statements) == ["launched", "resumed"]
        assert back.attempt == "a1"


def test_2004_patterns_pass_through_with_their_components() -> None:
    snapshot = scorm2004(1)
    snapshot["cmi"]["interactions"] = [
        interaction2004("c", "choice", ["a[,]b", ""], "", "correct"),
        interaction2004("l", "likert", ["agree"], "disagree", "neutral"),
        interaction2004("p", "performance", ["{order_matters=false}s1[.]x[,][.]y"], "s1[.]x", "7"),
        interaction2004("f", "fill-in", ["{case_matters=true}Paris"], "paris", "incorrect"),
        interaction2004("w", "weird", [], None, None),  # unknown type, never answered
    ]
    statements = [
        s
        for s in changes(SCO, "scorm2004", None, snapshot, None, NOW).statements
        if "interactions/" in s["object"]["id"]
    ]
    definitions = [s["object"]["definition"] for s in statements]
    assert definitions[0]["correctResponsesPattern"] == ["a[,]b", ""]
    assert definitions[0]["choices"] == [
        {"id": "a"},
        {"id": "b"},
    ]
    assert statements[0]["result"] == {"response": "", "success": True}
    assert definitions[1]["scale"] == [{"id": "agree"}, {"id": "disagree"}]
    assert definitions[2]["steps"] == [{"id": "s1"}]
    assert statements[2]["result"] == {"response": "s1[.]x", "score": {"raw": 7}}
    assert definitions[3] == {
        "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
        "interactionType": "fill-in",
        "correctResponsesPattern": ["{case_matters=true}Paris"],
    }
    assert len(statements) == 4


def test_a_changed_answer_is_responded_again_and_comments_once() -> None:
    before = scorm2004(1)
    before["cmi"]["interactions"] = [interaction2004("q", "true-false", ["true"], "false", "incorrect")]
    before["cmi"]["comments_from_learner"] = [{"comment": "first", "location": None, "timestamp": None}]
    after = copy.deepcopy(before) | {"sequence": 2}
    after["cmi"]["interactions"][0] |= {"learner_response": "true", "result": "correct"}
    after["cmi"]["comments_from_learner"].append({"comment": "second", "location": None, "timestamp": None})
    outcome = changes(SCO, "scorm2004", before, after, "a", NOW)
    assert verbs(outcome.statements) == ["responded", "commented"]
    assert outcome.statements[0]["id"] == statement_id(SCO, "responded/0", 2)
    assert outcome.statements[1]["result"] == {"response": "second"}


def test_values_xapi_refuses_are_left_out() -> None:
    after = scorm2004(2, score={"scaled": "1.5", "raw": "5", "min": None, "max": None}, session_time="1:00:00")
    after = finished(after, "terminate")
    outcome = changes(SCO, "scorm2004", scorm2004(1), after, "a", NOW)
    assert [s["result"] for s in outcome.statements] == [{"score": {"raw": 5}}, {"score": {"raw": 5}}]
