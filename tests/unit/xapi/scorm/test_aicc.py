"""AICC (HACP) state, as player/hacp.py keeps it, as ADL xAPI SCORM Profile statements."""

from __future__ import annotations

import copy
from typing import Any

from coursehost.player.hacp import apply, begin, fresh_state
from coursehost.xapi.scorm.mapping import changes, new_attempt
from tests.unit.xapi.scorm.fixtures import NOW, SCO
from tests.unit.xapi.scorm.test_scorm12 import verbs


def message(state: dict[str, Any] | None, command: str, data: str = "") -> dict[str, Any]:
    """What hacp.handle stores for one message."""
    new = copy.deepcopy(state) if state else fresh_state()
    begin(new)
    if command != "getparam":
        apply(new, command, data)
    new["sequence"] = int(new.get("sequence", 0)) + 1
    return new


def test_an_au_session_with_suspend_and_resume() -> None:
    first = message(None, "getparam")
    start = changes(SCO, "aicc", None, first, None, NOW)
    assert verbs(start.statements) == ["launched", "initialized"]
    put = message(first, "putparam", "[Core]\r\nLesson_Status=p,s\r\nScore=75,100,0\r\nTime=00:02:30.5\r\n")
    during = changes(SCO, "aicc", first, put, start.attempt, NOW)
    score = {"scaled": 0.75, "raw": 75, "min": 0, "max": 100}
    assert verbs(during.statements) == ["scored", "completed", "passed"]
    assert during.statements[0]["result"] == {"score": score}
    exited = message(put, "exitau")
    end = changes(SCO, "aicc", put, exited, during.attempt, NOW)
    assert verbs(end.statements) == ["suspended"]
    # ExitAU moved the session time into the total: the duration is the time the AU last put.
    assert end.statements[0]["result"] == {"score": score, "success": True, "completion": True, "duration": "PT2M30.5S"}
    again = message(exited, "getparam")
    assert again["cmi"]["core"]["entry"] == "resume"
    back = changes(SCO, "aicc", exited, again, end.attempt, NOW)
    assert verbs(back.statements) == ["launched", "resumed"]
    assert back.attempt == start.attempt
    comments = message(again, "putcomments", "Nice course")
    assert [s["result"] for s in changes(SCO, "aicc", again, comments, back.attempt, NOW).statements] == [
        {"response": "Nice course"}
    ]


def test_a_normal_exit_then_a_new_session() -> None:
    first = message(None, "putparam", "[Core]\r\nLesson_Status=c\r\nTime=00:00:09\r\n")
    exited = message(first, "exitau")
    end = changes(SCO, "aicc", first, exited, new_attempt(SCO, 1), NOW)
    assert verbs(end.statements) == ["terminated"]
    assert end.statements[0]["result"] == {"completion": True, "duration": "PT9S"}
    again = message(exited, "getparam")
    assert verbs(changes(SCO, "aicc", exited, again, end.attempt, NOW).statements) == ["launched", "initialized"]
