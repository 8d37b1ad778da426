"""Snapshots shaped as the run-times (static/runtime/) and HACP (player/hacp.py) store them, and the SCO they are of."""

from __future__ import annotations

import copy
from typing import Any

from coursehost.xapi.scorm.vocabulary import Sco

ACTOR = {"objectType": "Agent", "name": "Preview", "account": {"homePage": "http://h/lrs/app", "name": "preview"}}
SCO = Sco(
    session_id="s1",
    activity=1,
    actor=ACTOR,
    registration="6f1b2c1e-0000-5000-8000-000000000001",
    course_iri="urn:coursehost:course:app:c1:pkg",
    course_title="Course",
    sco_iri="urn:coursehost:course:app:c1:pkg/sco%201",
    sco_title="Lesson 1",
)
NOW = "2025-01-02T03:04:05.000Z"


def scorm12(sequence: int, **core: Any) -> dict[str, Any]:
    base = {
        "lesson_location": "", "credit": "credit", "lesson_status": "not attempted", "entry": "ab-initio",
        "score": {"raw": "", "min": "", "max": ""}, "total_time": "0000:00:00", "lesson_mode": "normal", "exit": "",
        "session_time": "",
    }  # fmt: skip
    cmi = {"core": base | core, "suspend_data": "", "comments": "", "objectives": [], "interactions": []}
    return {"standard": "scorm12", "sequence": sequence, "reason": "commit", "terminated": False, "cmi": cmi}


def scorm2004(sequence: int, **cmi: Any) -> dict[str, Any]:
    base = {
        "comments_from_learner": [], "completion_status": "unknown", "entry": "ab-initio", "exit": "",
        "interactions": [], "objectives": [], "progress_measure": None, "session_time": None,
        "score": {"scaled": None, "raw": None, "min": None, "max": None}, "success_status": "unknown",
    }  # fmt: skip
    snapshot = {"standard": "scorm2004", "sequence": sequence, "reason": "commit", "terminated": False}
    return snapshot | {"cmi": base | cmi, "adl": {"nav": {"request": "_none_"}, "data": []}}


def finished(snapshot: dict[str, Any], reason: str = "finish") -> dict[str, Any]:
    return copy.deepcopy(snapshot) | {"terminated": True, "reason": reason}


def interaction12(id_: str, kind: str, pattern: str, response: str, result: str, latency: str = "") -> dict[str, Any]:
    return {
        "id": id_, "objectives": [], "time": "", "type": kind, "correct_responses": [{"pattern": pattern}],
        "weighting": "", "student_response": response, "result": result, "latency": latency,
    }  # fmt: skip


def interaction2004(
    id_: str, kind: str, patterns: list[str], response: str | None, result: str | None, **more: Any
) -> dict[str, Any]:
    return {
        "id": id_, "type": kind, "objectives": [], "timestamp": None,
        "correct_responses": [{"pattern": pattern} for pattern in patterns], "weighting": None,
        "learner_response": response, "result": result, "latency": None, "description": None,
    } | more  # fmt: skip


def context(attempt_iri: str, **more: Any) -> dict[str, Any]:
    grouping = [
        {"objectType": "Activity", "id": SCO.course_iri,
         "definition": {"type": "http://adlnet.gov/expapi/activities/course", "name": {"und": "Course"}}},
        {"objectType": "Activity", "id": attempt_iri, "definition": {"type": "http://adlnet.gov/expapi/activities/attempt"}},
    ]  # fmt: skip
    profile = {
        "id": "https://w3id.org/xapi/scorm",
        "definition": {"type": "http://adlnet.gov/expapi/activities/profile"},
    }
    return {
        "registration": SCO.registration,
        "contextActivities": {"grouping": grouping, "category": [profile], **more},
    }


SCO_ACTIVITY = {
    "objectType": "Activity",
    "id": SCO.sco_iri,
    "definition": {"type": "http://adlnet.gov/expapi/activities/lesson", "name": {"und": "Lesson 1"}},
}
