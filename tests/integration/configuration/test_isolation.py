"""An application never sees or changes another application's configuration at any level."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.configuration.helpers import APP, course_path, effective, items, package, post, set_ok
from tests.integration.conftest import Api

NAV = "PlayerShowNavBar"
STANDARD = {"learningStandard": "SCORM12", "singleSco": "true"}


@pytest.fixture
def apps(client: TestClient, make_app: Any) -> tuple[Api, Api]:
    owner, other = Api(client, make_app("owner")), Api(client, make_app("other"))
    owner.import_course("shared-id", package())
    other.import_course("shared-id", package())
    set_ok(owner, APP, {NAV: "true"})
    set_ok(owner, APP, {"PlayerShowHelp": "true"}, **STANDARD)
    set_ok(owner, course_path("shared-id"), {"PlayerTimeLimit": "10"})
    set_ok(owner, course_path("shared-id", 0), {"PlayerShowTitleBar": "true"})
    return owner, other


def test_another_application_reads_only_its_own_values(apps: tuple[Api, Api]) -> None:
    _, other = apps
    for path, params in [(APP, {}), (APP, STANDARD), (course_path("shared-id"), {}), (course_path("shared-id", 0), {})]:
        assert all(i["effectiveValueSource"] == "default" for i in items(other, path, **params).values())


def test_another_application_changes_only_its_own_values(apps: tuple[Api, Api]) -> None:
    owner, other = apps
    set_ok(other, APP, {NAV: "false"})
    set_ok(other, APP, {"PlayerShowHelp": "false"}, **STANDARD)
    set_ok(other, course_path("shared-id"), {"PlayerTimeLimit": "20"})
    for path, setting_id, params in [
        (APP, NAV, {}),
        (APP, "PlayerShowHelp", STANDARD),
        (course_path("shared-id"), "PlayerTimeLimit", {}),
        (course_path("shared-id", 0), "PlayerShowTitleBar", {}),
    ]:
        assert other.request("DELETE", f"{path}/{setting_id}", params=params).status_code == 204
    assert effective(owner, APP, NAV) == ("true", "application", "true")
    assert effective(owner, APP, "PlayerShowHelp", **STANDARD) == ("true", "learningStandardForApplication", "true")
    assert effective(owner, course_path("shared-id"), "PlayerTimeLimit") == ("10", "course", "10")
    assert effective(owner, course_path("shared-id", 0), "PlayerShowTitleBar") == ("true", "course", "true")


def test_another_applications_course_is_404(client: TestClient, make_app: Any) -> None:
    owner, other = Api(client, make_app("owner")), Api(client, make_app("other"))
    owner.import_course("mine", package())
    assert other.request("GET", course_path("mine")).status_code == 404
    assert post(other, course_path("mine", 0), {NAV: "true"}).status_code == 404
    assert other.request("DELETE", f"{course_path('mine')}/{NAV}").status_code == 404


def test_credentials_are_required(client: TestClient) -> None:
    for method, path in [("GET", APP), ("POST", APP), ("DELETE", f"{APP}/{NAV}"), ("GET", course_path("x"))]:
        assert client.request(method, "/api/v2" + path, json={}).status_code == 401
