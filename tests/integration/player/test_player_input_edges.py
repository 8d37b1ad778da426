"""Run-time data a SCO sends is stored and read back whatever it holds: a lone surrogate (JavaScript strings may hold
one, e.g. suspend data cut in the middle of a pair) or a NUL never turns into a 5xx, and integers out of the
database's range are refused with 400 rather than overflowing (issue 10)."""

from __future__ import annotations

import json

import pytest

from tests.integration.conftest import Api
from tests.integration.player.helpers import config, launch
from tests.integration.player.packages import scorm12_course


@pytest.fixture
def base(api: Api) -> str:
    api.import_course("course-1", scorm12_course(count=2))
    path, _page = launch(api, "course-1")
    return path


@pytest.mark.parametrize("text", ["cut \ud83d", "\udc00 alone", "nul \x00 inside"])
def test_odd_text_in_run_time_data_round_trips(api: Api, base: str, text: str) -> None:
    # json.dumps writes lone surrogates as \\u escapes, as a browser's JSON.stringify does.
    body = json.dumps({"sequence": 1, "cmi": {"suspend_data": text}})
    assert api.client.post(base + "runtime/1", content=body).json() == {"stored": True}
    read = api.client.get(base + "runtime/1")
    assert read.status_code == 200
    stored = read.json()["cmi"]["suspend_data"]
    assert stored == text.replace("\ud83d", "\ufffd").replace("\udc00", "\ufffd")
    page = api.client.get(base)  # the player page hands the stored data back to the run-time
    assert page.status_code == 200
    assert config(page)["runtime"]["1"]["cmi"]["suspend_data"] == stored


@pytest.mark.parametrize("sequence", [2**31, 2**63, 2**64, -(2**31) - 1])
def test_sequence_out_of_range_is_400(api: Api, base: str, sequence: int) -> None:
    response = api.client.post(base + "runtime/1", json={"sequence": sequence, "cmi": {}})
    assert response.status_code == 400, response.text


@pytest.mark.parametrize("activity", [2**31, 2**63, 2**64])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_activity_out_of_range_is_400(api: Api, base: str, method: str, activity: int) -> None:
    response = api.client.request(method, base + f"runtime/{activity}", json={"sequence": 1})
    assert response.status_code == 400, response.text
    assert "activity" in response.json()["message"]
