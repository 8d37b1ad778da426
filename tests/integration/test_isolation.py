"""An application never sees or changes another application's courses or jobs: every operation, second app."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.conftest import Api
from tests.support.packages import ScormPackage


@pytest.fixture
def two_apps(client: TestClient, make_app: Any) -> tuple[Api, Api, str]:
    owner = Api(client, make_app("owner"))
    job = owner.import_course("mine", ScormPackage(title="Owner's").to_bytes(), tags="secret")
    return owner, Api(client, make_app("intruder")), job["jobId"]


OPERATIONS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/courses/mine", {}),
    ("GET", "/courses/mine/versions", {}),
    ("GET", "/courses/mine/versions/0", {}),
    ("GET", "/courses/mine/tags", {}),
    ("PUT", "/courses/mine/tags", {"json": {"tags": ["x"]}}),
    ("DELETE", "/courses/mine/tags", {"json": {"tags": ["secret"]}}),
    ("PUT", "/courses/tags", {"json": {"ids": ["mine"], "tags": ["x"]}}),
    ("PUT", "/courses/mine/title", {"json": {"title": "pwned"}}),
    ("DELETE", "/courses/mine/versions/0", {"json": {}}),
    ("DELETE", "/courses/mine", {"json": {}}),
]


@pytest.mark.parametrize(("method", "path", "kwargs"), OPERATIONS)
def test_other_app_gets_404_and_changes_nothing(
    two_apps: tuple[Api, Api, str], method: str, path: str, kwargs: dict[str, Any]
) -> None:
    owner, intruder, _ = two_apps
    response = intruder.request(method, path, **kwargs)
    assert response.status_code == 404, response.text
    course = owner.request("GET", "/courses/mine").json()
    assert (course["title"], course["tags"], course["version"]) == ("Owner's", ["secret"], 0)


def test_other_app_cannot_read_job(two_apps: tuple[Api, Api, str]) -> None:
    owner, intruder, job_id = two_apps
    assert intruder.request("GET", f"/courses/importJobs/{job_id}").status_code == 404
    assert owner.request("GET", f"/courses/importJobs/{job_id}").status_code == 200


def test_other_app_lists_nothing_and_can_reuse_the_id(two_apps: tuple[Api, Api, str]) -> None:
    owner, intruder, _ = two_apps
    assert intruder.request("GET", "/courses").json() == {"courses": []}
    assert intruder.request("GET", "/courses", params={"tags": "secret"}).json() == {"courses": []}
    # Ids are unique per application: the intruder's own "mine" is a different course.
    intruder.import_course("mine", ScormPackage(title="Intruder's").to_bytes())
    assert owner.request("GET", "/courses/mine").json()["title"] == "Owner's"
    assert intruder.request("GET", "/courses/mine").json()["title"] == "Intruder's"


def test_other_app_import_of_same_id_is_not_a_conflict(two_apps: tuple[Api, Api, str]) -> None:
    _, intruder, _ = two_apps
    assert intruder.upload("mine", ScormPackage().to_bytes()).status_code == 200
