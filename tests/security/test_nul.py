"""Values the database cannot hold (PostgreSQL stores no NUL in text) are the client's error, never a 5xx; a NUL in
credentials is a failed authentication. Found by the schemathesis run on PostgreSQL."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.conftest import Api
from tests.support.packages import ScormPackage


@pytest.mark.parametrize(
    ("method", "path", "extra"),
    [
        ("GET", "/courses/a%00b", {}),
        ("GET", "/courses", {"params": {"tags": "a\x00"}}),
        ("GET", "/courses/importJobs/a%00", {}),
        ("PUT", "/courses/c/title", {"json": {"title": "\x00"}}),
        ("PUT", "/courses/c/tags", {"json": {"tags": ["a\x00"]}}),
    ],
)
def test_nul_in_input_is_never_a_server_error(api: Api, method: str, path: str, extra: dict[str, Any]) -> None:
    api.import_course("c", ScormPackage().to_bytes())
    response = api.request(method, path, **extra)
    assert response.status_code < 500, response.text  # SQLite stores a NUL; PostgreSQL refuses it: 400


def test_nul_in_credentials_is_401(client: TestClient) -> None:
    header = "Basic " + base64.b64encode(b"APP\x00:secret").decode()
    assert client.get("/api/v2/courses", headers={"Authorization": header}).status_code == 401
