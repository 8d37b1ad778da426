"""AICC HACP at aicc_url: GetParam, PutParam, the Put* blocks and ExitAU, in the AICC response format."""

from __future__ import annotations

import pytest

from tests.integration.conftest import Api
from tests.integration.player.helpers import config, launch
from tests.integration.player.packages import aicc_course


@pytest.fixture
def aicc(api: Api) -> tuple[Api, str, str]:
    api.import_course("aicc-1", aicc_course())
    _base, page = launch(api, "aicc-1")
    data = config(page)
    assert data["standard"] == "aicc"
    assert data["aicc"]["url"] == "http://testserver/player/hacp"
    return api, data["aicc"]["sids"]["1"], data["aicc"]["sids"]["2"]


def hacp(api: Api, command: str, sid: str, data: str = "", **extra: str) -> str:
    response = api.client.post(
        "/player/hacp", data={"command": command, "version": "2.2", "session_id": sid, "AICC_Data": data, **extra}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["access-control-allow-origin"] == "*"
    return response.text


def fields(text: str) -> dict[str, str]:
    return {line.split("=", 1)[0].lower(): line.split("=", 1)[1] for line in text.split("\r\n") if "=" in line}


def test_get_param_of_a_new_au(aicc: tuple[Api, str, str]) -> None:
    api, sid, _other = aicc
    text = hacp(api, "GetParam", sid)
    assert text.startswith("error=0\r\nerror_text=Successful\r\nversion=2.2\r\naicc_data=\r\n[Core]\r\n")
    values = fields(text)
    assert values["student_id"] == "coursehost-preview"
    assert values["lesson_status"] == "not attempted,ab-initio"
    assert values["time"] == "00:00:00"
    assert values["mastery_score"] == "80"


def test_put_param_then_get_param(aicc: tuple[Api, str, str]) -> None:
    api, sid, _other = aicc
    lines = ["[CORE]", "lesson_location = page 4", "Lesson_Status=i,s", "Score=75,100,0", "Time=00:02:30.5"]
    data = "\r\n".join([*lines, "[Core_Lesson]", "bookmark=4"])
    assert hacp(api, "putparam", sid, data).startswith("error=0")
    values = fields(hacp(api, "GetParam", sid))
    assert values["lesson_location"] == "page 4"
    assert values["lesson_status"] == "incomplete,ab-initio"  # this session began ab initio
    assert values["score"] == "75,100,0"
    assert "bookmark=4" in hacp(api, "GetParam", sid)
    assert hacp(api, "ExitAU", sid).startswith("error=0")
    values = fields(hacp(api, "GetParam", sid))
    # A suspended AU resumes; ExitAU added the session's time to the total.
    assert values["lesson_status"] == "incomplete,resume"
    assert values["time"] == "00:02:30"


def test_exit_au_is_visible_to_the_player(aicc: tuple[Api, str, str]) -> None:
    api, sid, _other = aicc
    base = api.client.get("/player/s/" + sid.split("x")[0] + "/").url.path
    hacp(api, "PutParam", sid, "[Core]\r\nLesson_Status=passed")
    hacp(api, "ExitAU", sid)
    snapshot = api.client.get(base + "runtime/1").json()
    assert snapshot["terminated"] is True
    assert snapshot["cmi"]["core"]["lesson_status"] == "passed"
    assert snapshot["sequence"] == 2  # one write per message


@pytest.mark.parametrize(
    ("command", "block"),
    [
        ("PutComments", "comments"),
        ("PutObjectives", "objectives"),
        ("PutPath", "path"),
        ("PutPerformance", "performance"),
        ("PutInteractions", "interactions"),
    ],
)
def test_put_blocks_are_accepted(aicc: tuple[Api, str, str], command: str, block: str) -> None:
    api, sid, _other = aicc
    assert hacp(api, command, sid, '"a","b"\r\n"1","2"').startswith("error=0")


def test_errors(aicc: tuple[Api, str, str]) -> None:
    api, sid, other = aicc
    assert hacp(api, "Dance", sid).startswith("error=1\r\nerror_text=Invalid Command")
    assert hacp(api, "GetParam", sid[:-1] + ("0" if sid[-1] != "0" else "1")).startswith("error=3")
    assert hacp(api, "GetParam", "nonsense").startswith("error=3")
    # Each AU has its own session id; one AU's data is not another's.
    hacp(api, "PutParam", sid, "[Core]\r\nLesson_Location=here")
    assert fields(hacp(api, "GetParam", other))["lesson_location"] == ""


def test_ended_session_answers_invalid_session(aicc: tuple[Api, str, str]) -> None:
    api, sid, _other = aicc
    base = "/player/s/" + sid.split("x")[0] + "/"
    assert api.client.post(base + "exit").status_code == 200
    assert hacp(api, "GetParam", sid).startswith("error=3")


def test_au_launch_url_parameters(aicc: tuple[Api, str, str]) -> None:
    api, sid, _other = aicc
    base = "/player/s/" + sid.split("x")[0] + "/"
    assert api.client.get(base + "content/au1.html").status_code == 200


def test_bodies_are_read_whatever_their_content_type(aicc: tuple[Api, str, str]) -> None:
    api, sid, _other = aicc
    plain = api.client.post(
        "/player/hacp", content=f"command=getparam&session_id={sid}", headers={"content-type": "text/plain"}
    )
    assert plain.text.startswith("error=0")
    multipart = api.client.post("/player/hacp", files={"command": (None, "GetParam"), "session_id": (None, sid)})
    assert multipart.text.startswith("error=0")
