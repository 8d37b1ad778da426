from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from coursehost.app import create_app
from coursehost.auth.service import create_application
from coursehost.config import Settings
from coursehost.context import Context
from coursehost.imports.jobs import incoming_key


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        secret_key="test-secret",
        public_url="http://testserver",
        import_workers=2,
        worker_poll_seconds=0.05,
        postback_backoff_seconds=0.05,
        outbound_allow="127.0.0.1/32,::1/128",
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def ctx(client: TestClient) -> Context:
    context: Context = client.app.state.ctx  # type: ignore[attr-defined]
    return context


def basic(app_id: str, secret: str) -> dict[str, str]:
    token = base64.b64encode(f"{app_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.fixture
def make_app(ctx: Context) -> Any:
    def make(name: str = "test") -> dict[str, str]:
        with ctx.db.session() as session:
            created = create_application(session, name)
        return basic(created.app_id, created.secret_key) | {"X-App-Id": created.app_id}

    return make


@pytest.fixture
def auth(make_app: Any) -> dict[str, str]:
    headers: dict[str, str] = make_app("primary")
    return headers


class Api:
    """Thin helpers over the ASGI client for the calls most tests repeat."""

    def __init__(self, client: TestClient, headers: dict[str, str]) -> None:
        self.client = client
        self.headers = {k: v for k, v in headers.items() if k != "X-App-Id"}
        self.app_id = headers.get("X-App-Id", "")

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.request(method, "/api/v2" + path, headers=self.headers | kwargs.pop("headers", {}), **kwargs)

    def upload(self, course_id: str, data: bytes, **params: Any) -> httpx.Response:
        return self.request(
            "POST",
            "/courses/importJobs/upload",
            params={"courseId": course_id, **params},
            files={"file": ("course.zip", data, "application/zip")},
        )

    def wait(self, job_id: str, timeout: float = 20.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            body: dict[str, Any] = self.request("GET", f"/courses/importJobs/{job_id}").json()
            if body["status"] != "RUNNING" or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        # A COMPLETE job's upload is deleted just after the job commits (kept until then so a crash can retry it);
        # tests that count stored files wait for that too.
        storage = self.client.app.state.ctx.storage  # type: ignore[attr-defined]
        while storage.size(incoming_key(job_id)) is not None and time.monotonic() < deadline:
            time.sleep(0.01)
        return body

    def import_course(self, course_id: str, data: bytes, **params: Any) -> dict[str, Any]:
        response = self.upload(course_id, data, **params)
        assert response.status_code == 200, response.text
        job = self.wait(response.json()["result"])
        assert job["status"] == "COMPLETE", job
        return job


@pytest.fixture
def api(client: TestClient, auth: dict[str, str]) -> Api:
    return Api(client, auth)
