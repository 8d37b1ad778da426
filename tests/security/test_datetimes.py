"""Dates at the edge of the calendar: one with no UTC equivalent (year 10000 or year 0 once its offset is applied) is
400 naming the parameter on every route that takes a date, not an OverflowError (500); the extremes that do exist
work on both databases."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import Api
from tests.support.packages import ScormPackage

NO_UTC = ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"]
EXTREMES = ["9999-12-31T23:59:59.999Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00"]


def _requests(value: str) -> list[tuple[str, str, dict[str, Any], str]]:
    return [
        ("GET", "/courses", {"params": {"since": value}}, "since"),
        ("GET", "/courses", {"params": {"until": value}}, "until"),
        ("GET", "/courses/c/versions", {"params": {"since": value}}, "since"),
        ("GET", "/courses/c/versions", {"params": {"until": value}}, "until"),
        ("POST", "/appManagement/token", {"json": {"permissions": {"scopes": ["read"]}, "expiry": value}}, "expiry"),
    ]


@pytest.fixture
def seeded(api: Api) -> Api:
    api.import_course("c", ScormPackage().to_bytes())
    return api


@pytest.mark.parametrize("value", NO_UTC)
def test_dates_without_a_utc_equivalent_are_400(seeded: Api, value: str) -> None:
    for method, path, kwargs, name in _requests(value):
        response = seeded.request(method, path, **kwargs)
        assert response.status_code == 400, (path, name, response.text)
        assert f"parameter '{name}'" in response.json()["message"]


@pytest.mark.parametrize("value", EXTREMES)
def test_the_extreme_dates_work(seeded: Api, value: str) -> None:
    for method, path, kwargs, name in _requests(value):
        response = seeded.request(method, path, **kwargs)
        in_the_past = name == "expiry" and value.startswith("0001")  # a token cannot expire before it is made
        assert response.status_code == (400 if in_the_past else 200), (path, name, response.text)
