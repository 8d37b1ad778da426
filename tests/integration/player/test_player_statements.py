"""Preview sessions as xAPI statements (ADL's xAPI SCORM Profile): SCORM 1.2, SCORM 2004 and AICC run-time data
committed through the player's own endpoints, with what the player hands to its LRS seam (player/statements.emit)
captured. Statement ids are deterministic (xAPI Data 2.4.1: the id is the producer's), so a replay adds nothing."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from coursehost.player import statements as player_statements
from coursehost.xapi.launch import session_registration
from coursehost.xapi.principal import Level, LrsPrincipal
from tests.integration.conftest import Api
from tests.integration.player.helpers import config, launch
from tests.integration.player.packages import aicc_course, scorm12_course, scorm2004_course
from tests.integration.player.test_hacp import hacp
from tests.unit.xapi.scorm.fixtures import finished, interaction12, interaction2004, scorm12, scorm2004

ADL = "http://adlnet.gov/expapi/verbs/"
Emitted = list[tuple[LrsPrincipal, list[dict[str, Any]]]]


@pytest.fixture
def emitted(monkeypatch: pytest.MonkeyPatch) -> Emitted:
    captured: Emitted = []
    monkeypatch.setattr(player_statements, "emit", lambda _s, _c, principal, found: captured.append((principal, found)))
    return captured


def verbs(emitted: Emitted) -> list[str]:
    return [s["verb"]["id"].removeprefix(ADL) for _principal, found in emitted for s in found]


def every(emitted: Emitted) -> list[dict[str, Any]]:
    return [s for _principal, found in emitted for s in found]


def post(api: Api, base: str, activity: int, snapshot: dict[str, Any]) -> bool:
    response = api.client.post(base + f"runtime/{activity}", json=snapshot)
    assert response.status_code == 200, response.text
    stored: bool = response.json()["stored"]
    return stored


def test_a_scorm_1_2_preview(api: Api, emitted: Emitted) -> None:
    api.import_course("c12", scorm12_course(count=2))
    iri = api.request("GET", "/courses/c12").json()["xapiActivityId"]
    base, page = launch(api, "c12")
    session_id = base.rstrip("/").rsplit("/", 1)[1]
    assert config(page)["nodes"][1]["id"] == "i1"
    first = scorm12(1, lesson_status="incomplete")
    first["cmi"]["interactions"] = [interaction12("q1", "choice", "a", "a", "correct")]
    assert post(api, base, 1, first)
    last = finished(first) | {"sequence": 2}
    last["cmi"]["core"] |= {"lesson_status": "passed", "score": {"raw": "85", "min": "", "max": ""}}
    last["cmi"]["core"]["session_time"] = "00:00:42"
    assert post(api, base, 1, last)
    assert verbs(emitted) == ["launched", "initialized", "responded", "scored", "completed", "passed", "terminated"]
    principal = emitted[0][0]
    assert principal.level is Level.ROOT
    assert principal.app_id == api.app_id
    for statement in every(emitted):
        assert statement["actor"]["account"] == {"homePage": f"http://testserver/lrs/{api.app_id}", "name": "preview"}
        assert statement["context"]["registration"] == session_registration(session_id)
        assert statement["context"]["contextActivities"]["grouping"][0]["id"] == iri
    assert every(emitted)[0]["object"]["id"] == f"{iri}/i1"
    assert every(emitted)[-1]["result"] == {
        "score": {"scaled": 0.85, "raw": 85},
        "success": True,
        "completion": True,
        "duration": "PT42S",
    }
    # Replays and late deliveries are not stored and say nothing; the ids would be the same anyway.
    count = len(emitted)
    assert not post(api, base, 1, last)
    assert not post(api, base, 1, first)
    assert len(emitted) == count
    ids = [s["id"] for s in every(emitted)]
    assert len(set(ids)) == len(ids)
    # What the server keeps for itself is never handed back to the browser.
    assert "xapiAttempt" not in api.client.get(base + "runtime/1").json()
    assert "xapiAttempt" not in config(api.client.get(base))["runtime"]["1"]


def test_a_scorm_2004_preview_suspended_then_resumed(api: Api, emitted: Emitted) -> None:
    api.import_course("c2004", scorm2004_course(count=2))
    base, page = launch(api, "c2004")
    node = next(n for n, item in enumerate(config(page)["nodes"]) if item["href"])
    running = scorm2004(1, completion_status="incomplete")
    running["cmi"]["interactions"] = [interaction2004("q1", "true-false", ["true"], "true", "correct")]
    assert post(api, base, node, running)
    suspended = finished(running, "terminate") | {"sequence": 2}
    suspended["cmi"] |= {"exit": "suspend", "session_time": "PT10S"}
    assert post(api, base, node, suspended)
    resumed = copy.deepcopy(running) | {"sequence": 3}
    resumed["cmi"] |= {"entry": "resume", "completion_status": "completed", "success_status": "passed"}
    assert post(api, base, node, resumed)
    assert verbs(emitted) == [
        "launched", "initialized", "responded", "suspended", "launched", "resumed", "completed", "passed",
    ]  # fmt: skip
    attempts = {s["context"]["contextActivities"]["grouping"][1]["id"] for s in every(emitted)}
    assert len(attempts) == 1  # the resumed session continues the suspended attempt
    assert every(emitted)[3]["result"] == {"completion": False, "duration": "PT10S"}
    # The learner leaves while the resumed SCO is open: its session ends with the preview's.
    assert api.client.post(base + "exit").status_code == 200
    assert verbs(emitted)[-1] == "terminated"
    assert every(emitted)[-1]["result"] == {"success": True, "completion": True}


def test_an_aicc_preview(api: Api, emitted: Emitted) -> None:
    api.import_course("aicc-1", aicc_course())
    _base, page = launch(api, "aicc-1")
    sid = config(page)["aicc"]["sids"]["1"]
    hacp(api, "GetParam", sid)
    hacp(api, "PutParam", sid, "[Core]\r\nLesson_Status=f\r\nScore=40\r\nTime=00:01:00\r\n")
    hacp(api, "ExitAU", sid)
    assert verbs(emitted) == ["launched", "initialized", "scored", "completed", "failed", "terminated"]
    assert every(emitted)[-1]["result"] == {
        "score": {"scaled": 0.4, "raw": 40},
        "success": False,
        "completion": True,
        "duration": "PT1M",
    }
