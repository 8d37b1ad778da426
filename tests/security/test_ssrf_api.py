"""The outbound policy through the API: a fetch import, an asset fetch and a postback aimed at this machine are all
refused when the allow-list does not name it (production's default), without a connection being made."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from tests.integration.conftest import Api
from tests.support.httpserver import Route, local_server
from tests.support.packages import ScormPackage


@pytest.fixture
def connected(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every address anything in this process connects a Python socket to (database drivers use their own)."""
    seen: list[Any] = []
    real = socket.socket.connect

    def record(self: socket.socket, address: Any) -> None:
        seen.append(address)
        real(self, address)

    monkeypatch.setattr(socket.socket, "connect", record)
    return seen


def test_fetch_import_of_a_local_url_ends_in_error(api: Api, connected: list[Any]) -> None:
    with local_server() as server:
        server.routes["/course.zip"] = Route(body=ScormPackage().to_bytes())
        for url in (server.url("/course.zip"), f"http://localhost:{server.port}/course.zip"):
            response = api.request("POST", "/courses/importJobs", params={"courseId": "ssrf"}, json={"url": url})
            assert response.status_code == 200, response.text
            job = api.wait(response.json()["result"])
            assert job["status"] == "ERROR"
            assert "refused" in job["message"]
    assert not any(isinstance(a, tuple) and a[1] == server.port for a in connected)


def test_fetch_of_cloud_metadata_is_refused(api: Api, connected: list[Any]) -> None:
    url = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"
    response = api.request("POST", "/courses/importJobs", params={"courseId": "meta"}, json={"url": url})
    job = api.wait(response.json()["result"])
    assert job["status"] == "ERROR"
    assert "refused" in job["message"]
    assert connected == []


def test_asset_fetch_of_a_local_url_is_400(api: Api, connected: list[Any]) -> None:
    api.import_course("c", ScormPackage().to_bytes())
    with local_server() as server:
        server.routes["/logo.png"] = Route(body=b"\x89PNG")
        body = {"fetchUrl": server.url("/logo.png"), "destination": "/img/logo.png"}
        response = api.request("POST", "/courses/c/asset", json=body)
    assert response.status_code == 400
    assert "refused" in response.json()["message"]
    assert not any(isinstance(a, tuple) and a[1] == server.port for a in connected)


def test_postback_to_a_local_url_is_not_sent(api: Api) -> None:
    with local_server() as server:
        job = api.import_course("pb", ScormPackage().to_bytes(), postbackUrl=server.url("/postback"))
        assert job["status"] == "COMPLETE"
        assert not server.received.wait(1.0)
        assert server.posts == []
