"""What previews produce reaches the LRS and the course operations: a SCORM preview's profile statements and a
cmi5 launch's LMS statements are stored (valid xAPI, as the player's ROOT principal) and come back through
getCourseStatements and getCourseVersionStatements, and through the LRS itself."""

from __future__ import annotations

from typing import Any

from tests.integration.conftest import Api
from tests.integration.player.helpers import launch
from tests.integration.player.packages import scorm12_course, scorm2004_course
from tests.support.packages import data_package
from tests.unit.xapi.scorm.fixtures import finished, interaction12, scorm12, scorm2004

ADL = "http://adlnet.gov/expapi/verbs/"
V2 = {"X-Experience-API-Version": "2.0.0"}


def post(api: Api, base: str, activity: int, snapshot: dict[str, Any]) -> None:
    response = api.client.post(base + f"runtime/{activity}", json=snapshot)
    assert response.status_code == 200, response.text


def course_verbs(api: Api, course: str, version: int | None = None) -> list[str]:
    path = f"/courses/{course}" + (f"/versions/{version}" if version is not None else "") + "/xAPIStatements"
    body = api.request("GET", path).json()
    return [s["verb"]["id"].removeprefix(ADL) for s in body["statements"]]


def test_a_scorm_1_2_preview_is_in_the_courses_statements(api: Api) -> None:
    api.import_course("c12", scorm12_course(count=2))
    base, _ = launch(api, "c12")
    first = scorm12(1, lesson_status="incomplete")
    first["cmi"]["interactions"] = [interaction12("q1", "choice", "a", "a", "correct")]
    post(api, base, 1, first)
    last = finished(first) | {"sequence": 2}
    last["cmi"]["core"] |= {"lesson_status": "passed", "score": {"raw": "85", "min": "", "max": ""}}
    post(api, base, 1, last)
    post(api, base, 1, last)  # a replay stores nothing more
    expected = ["launched", "initialized", "responded", "scored", "completed", "passed", "terminated"]
    assert course_verbs(api, "c12") == expected
    assert course_verbs(api, "c12", 0) == expected
    body = api.client.get(f"/lrs/{api.app_id}/statements", headers=api.headers | V2).json()
    assert len(body["statements"]) == len(expected)
    assert {s["authority"]["account"]["name"] for s in body["statements"]} == {api.app_id}


def test_a_scorm_2004_preview_is_in_the_courses_statements(api: Api) -> None:
    api.import_course("c2004", scorm2004_course())
    base, _ = launch(api, "c2004")
    snapshot = scorm2004(1, completion_status="completed", success_status="passed")
    post(api, base, 1, snapshot)
    verbs = course_verbs(api, "c2004")
    assert verbs[:2] == ["launched", "initialized"]
    assert {"completed", "passed"} <= set(verbs)


def test_a_cmi5_launch_is_in_the_courses_statements(api: Api) -> None:
    api.import_course("nav", data_package("cmi5-blocks"))
    base, page = launch(api, "nav")
    response = api.client.post(base + "xapi/2")
    assert response.status_code == 200, response.text
    statements = api.request("GET", "/courses/nav/xAPIStatements").json()["statements"]
    assert [s["verb"]["id"] for s in statements] == ["http://adlnet.gov/expapi/verbs/launched"]
    assert statements[0]["objectActivity"]["id"].startswith("urn:uuid:")
