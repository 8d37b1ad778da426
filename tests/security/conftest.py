"""Security suite fixtures: the integration fixtures (real database, ASGI client), but with the production outbound
policy (no allow-list) unless a test asks for one, plus helpers for tokens and real server processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from coursehost.auth.service import create_application
from coursehost.config import Settings
from coursehost.kit.db import Database
from coursehost.kit.migrate import upgrade
from tests.integration.conftest import Api, api, auth, client, ctx, make_app

# Fixtures shared with the integration suite (importing them here is how pytest sees them).
__all__ = ["Api", "api", "auth", "client", "ctx", "make_app"]

LOOPBACK = "127.0.0.1/32,::1/128"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        secret_key="security-test-secret",
        public_url="http://testserver",
        import_workers=1,
        worker_poll_seconds=0.05,
        postback_attempts=1,
        postback_backoff_seconds=0.01,
    )


def get_token(client: TestClient, headers: dict[str, str], scope: str, expiration: int | None = None) -> str:
    data: dict[str, Any] = {"scope": scope} | ({} if expiration is None else {"expiration": str(expiration)})
    response = client.post("/api/v2/oauth/authenticate/application/token", data=data, headers=headers)
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def app_headers(auth: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in auth.items() if k != "X-App-Id"}


# ------------------------------------------------------------------------------------------- real server processes


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    app_id: str
    secret_key: str
    env: dict[str, str]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(database_url: str, root: Path, **settings: str) -> Served:
    """``coursehost serve`` in its own process (the uvicorn protocol and limits only exist there)."""
    database = Database(database_url)
    with database.session() as session:
        created = create_application(session, "served")
    database.dispose()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COURSEHOST_")} | {
        "COURSEHOST_DATA_DIR": str(root / "data"),
        "COURSEHOST_DATABASE_URL": database_url,
        "COURSEHOST_SECRET_KEY": "served-" + uuid.uuid4().hex,
        "COURSEHOST_IMPORT_WORKERS": "0",
    }
    env |= {f"COURSEHOST_{key.upper()}": value for key, value in settings.items()}
    log_path = root / f"server-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "coursehost", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    served = Served(process, port, log_path, created.app_id, created.secret_key, env)
    deadline = time.monotonic() + 45
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"coursehost serve exited:\n{served.log()}")
        try:
            if httpx.get(f"{served.base_url}/api/v2/openapi.json", timeout=2).status_code == 200:
                return served
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            stop_server(served)
            raise RuntimeError(f"coursehost serve did not start:\n{served.log()}")
        time.sleep(0.1)


def stop_server(served: Served) -> None:
    if served.process.poll() is None:
        served.process.terminate()
        try:
            served.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            served.process.kill()
            served.process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server process for a module's protocol-level tests, on its own SQLite database: what they check lives
    in the HTTP layer (the database-backed behaviour is covered in process, on both databases)."""
    root = tmp_path_factory.mktemp("served")
    url = f"sqlite:///{root / 'served.db'}"
    upgrade(url)
    served = start_server(url, root, header_timeout_seconds="2", max_header_bytes="8192")
    yield served
    stop_server(served)
