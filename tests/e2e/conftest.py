"""End-to-end fixtures: real ``coursehost serve`` processes driven by the official SCORM Cloud Python client.

The servers are module-scoped: the tests of a module share them (cheap), and they are stopped before the next module
runs, so their import workers never pick up jobs that other tests queue in the same (PostgreSQL) database. Tests of
a module share one application, so each one works on its own course ids (see :func:`unique_id`).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import rustici_software_cloud_v2 as sc
from rustici_software_cloud_v2.rest import ApiException
from sqlalchemy import Engine

from coursehost.auth.service import create_application
from coursehost.kit.db import Database
from tests.conftest import PG_URL, empty_tables
from tests.support.chromium import chromium_browser
from tests.support.packages import NS_12, ScormPackage

JOB_TIMEOUT = 30.0
POLL_SECONDS = 0.1
SERVER_START_TIMEOUT = 45.0
UPLOAD_LIMIT = 3 * 1024 * 1024  # the main server's COURSEHOST_MAX_UPLOAD_BYTES, small so "too large" is cheap


# --------------------------------------------------------------------------------------------- processes and ports


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Store:
    """Where every e2e server process keeps its state: one database and one data directory."""

    root: Path
    database_url: str
    env: dict[str, str]


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    env: dict[str, str]
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_host(self) -> str:
        # The official client's host ends in "/" and its paths start with "/", so it requests /api/v2//courses.
        return f"{self.base_url}/api/v2/"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _base_env(root: Path, database_url: str) -> dict[str, str]:
    # Drop the caller's COURSEHOST_* settings so only what the tests choose reaches the server.
    env = {k: v for k, v in os.environ.items() if not k.startswith("COURSEHOST_")}
    return env | {
        "COURSEHOST_DATA_DIR": str(root / "data"),
        "COURSEHOST_DATABASE_URL": database_url,
        "COURSEHOST_SECRET_KEY": "e2e-secret-" + uuid.uuid4().hex,
        "COURSEHOST_WORKER_POLL_SECONDS": "0.05",
        "COURSEHOST_POSTBACK_BACKOFF_SECONDS": "0.05",
        "COURSEHOST_IMPORT_WORKERS": "2",
        "COURSEHOST_OUTBOUND_ALLOW": "127.0.0.1/32,::1/128",
    }


def run_cli(store: Store, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``coursehost ARGS`` against the e2e database and data directory."""
    return subprocess.run(
        [sys.executable, "-m", "coursehost", *args],
        env=env or store.env,
        cwd=store.root,  # not the repository: a developer's .env there must not leak in
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def start_server(store: Store, name: str, **settings: str) -> Server:
    port = free_port()
    env = store.env | {"COURSEHOST_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    # A value may name the port the server gets ("http://localhost:{port}").
    env |= {f"COURSEHOST_{key.upper()}": value.replace("{port}", str(port)) for key, value in settings.items()}
    log_path = store.root / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "coursehost", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=store.root,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(process=process, port=port, env=env, log_path=log_path)
    try:
        _wait_ready(server)
    except BaseException:
        stop_server(server)
        raise
    return server


def _wait_ready(server: Server) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    with httpx.Client(timeout=2.0) as client:
        while True:
            if server.process.poll() is not None:
                raise RuntimeError(f"coursehost serve exited with {server.process.returncode}:\n{server.log()}")
            try:
                if client.get(f"{server.base_url}/api/v2/openapi.json").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"coursehost serve did not answer within {SERVER_START_TIMEOUT} s:\n{server.log()}")
            time.sleep(0.1)


def stop_server(server: Server) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


@pytest.fixture(scope="module")
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    root = tmp_path_factory.mktemp("e2e")
    engine: Engine | None = None
    if PG_URL:
        # Migrated once per session (tests/conftest.py); each module starts from empty tables and leaves them empty.
        engine = request.getfixturevalue("migrated_pg")
        empty_tables(engine)
        database_url = PG_URL
    else:
        database_url = f"sqlite:///{root / 'coursehost.db'}"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), root / "coursehost.db")
    yield Store(root=root, database_url=database_url, env=_base_env(root, database_url))
    if engine is not None:
        empty_tables(engine)


@pytest.fixture(scope="module")
def server(store: Store) -> Iterator[Server]:
    running = start_server(store, "server", max_upload_bytes=str(UPLOAD_LIMIT))
    yield running
    stop_server(running)


@pytest.fixture(scope="module")
def paging_server(store: Store, server: Server) -> Iterator[Server]:
    """A second process on the same database with a page size of 3, so pagination is cheap to exercise. It runs no
    import workers: the main server's workers import whatever is queued through either process."""
    running = start_server(store, "paging", page_size="3", import_workers="0")
    yield running
    stop_server(running)


# ------------------------------------------------------------------------------------------ applications and client


@dataclass(frozen=True)
class Credentials:
    app_id: str
    secret_key: str


def create_app_with_cli(store: Store, name: str) -> Credentials:
    result = run_cli(store, "apps", "create", name, "--json")
    assert result.returncode == 0, result.stderr + result.stdout
    created = json.loads(result.stdout)
    return Credentials(app_id=created["appId"], secret_key=created["secretKey"])


def make_api(server: Server, app_id: str, secret_key: str) -> sc.CourseApi:
    config = sc.Configuration()
    config.host = server.api_host
    config.username = app_id
    config.password = secret_key
    return sc.CourseApi(sc.ApiClient(config))


def close_api(api: sc.CourseApi) -> None:
    # Close pooled keep-alive sockets now instead of leaving them to the garbage collector (ResourceWarning).
    api.api_client.rest_client.pool_manager.clear()


def create_app_in_process(store: Store, name: str) -> Credentials:
    database = Database(store.database_url)
    try:
        with database.session() as session:
            created = create_application(session, name)
    finally:
        database.dispose()
    return Credentials(app_id=created.app_id, secret_key=created.secret_key)


@pytest.fixture(scope="module")
def creds(store: Store, server: Server) -> Credentials:
    # Created directly (faster than a CLI process); the second application goes through the CLI.
    return create_app_in_process(store, "e2e-primary")


@pytest.fixture(scope="module")
def other_creds(store: Store, server: Server) -> Credentials:
    return create_app_with_cli(store, "e2e-other")


@pytest.fixture(scope="module")
def api(server: Server, creds: Credentials) -> Iterator[sc.CourseApi]:
    client = make_api(server, creds.app_id, creds.secret_key)
    yield client
    close_api(client)


@pytest.fixture(scope="module")
def other_api(server: Server, other_creds: Credentials) -> Iterator[sc.CourseApi]:
    client = make_api(server, other_creds.app_id, other_creds.secret_key)
    yield client
    close_api(client)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium, driven by Playwright (see tests/support/chromium.py)."""
    with chromium_browser() as chromium:
        yield chromium


# -------------------------------------------------------------------------------------- a local HTTP peer (fetch)


@dataclass
class Served:
    body: bytes
    content_type: str = "application/zip"
    gate: threading.Event | None = None


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class LocalHttp:
    """A tiny HTTP server on 127.0.0.1: serves registered files (optionally held behind a gate) and records POSTs."""

    files: dict[str, Served] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    condition: threading.Condition = field(default_factory=threading.Condition)
    base_url: str = ""

    def add_file(self, data: bytes, gate: threading.Event | None = None, suffix: str = ".zip") -> str:
        path = f"/files/{uuid.uuid4().hex}{suffix}"
        self.files[path] = Served(data, gate=gate)
        return self.base_url + path

    def postback_url(self) -> str:
        return f"{self.base_url}/postback/{uuid.uuid4().hex}"

    def record(self, item: Received) -> None:
        with self.condition:
            self.received.append(item)
            self.condition.notify_all()

    def wait_for_post(self, url: str, timeout: float = JOB_TIMEOUT) -> Received:
        path = url.removeprefix(self.base_url)
        with self.condition:
            found = self.condition.wait_for(
                lambda: next((r for r in self.received if r.path == path), None), timeout=timeout
            )
        assert found is not None, f"no POST to {path} within {timeout} s"
        return found


def _handler(peer: LocalHttp) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            served = peer.files.get(self.path)
            if served is None:
                self.send_error(404)
                return
            if served.gate is not None:
                served.gate.wait(JOB_TIMEOUT)
            self.send_response(200)
            self.send_header("Content-Type", served.content_type)
            self.send_header("Content-Length", str(len(served.body)))
            self.end_headers()
            self.wfile.write(served.body)

        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            peer.record(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (signature of the base class)
            pass

    return Handler


@pytest.fixture(scope="module")
def local_http() -> Iterator[LocalHttp]:
    peer = LocalHttp()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(peer))
    httpd.daemon_threads = True
    peer.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield peer
    for served in peer.files.values():
        if served.gate is not None:
            served.gate.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(10)


# ------------------------------------------------------------------------------------------------------- helpers


def unique_id(prefix: str = "c") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def expect_api_error(status: int, call: Callable[[], Any]) -> ApiException:
    """Run ``call`` and return the ApiException it must raise with ``status``."""
    with pytest.raises(ApiException) as info:
        call()
    assert info.value.status == status, f"expected HTTP {status}, got {info.value.status}: {info.value.body}"
    return info.value


def error_message(exc: ApiException) -> str:
    body = json.loads(exc.body)
    message: str = body["message"]
    assert body.get("error") == message
    return message


def wait_for_job(api: sc.CourseApi, job_id: str, timeout: float = JOB_TIMEOUT) -> sc.ImportJobResultSchema:
    deadline = time.monotonic() + timeout
    while True:
        job = api.get_import_job_status(job_id)
        assert job.job_id == job_id
        if job.status != "RUNNING":
            return job
        assert time.monotonic() < deadline, f"import job {job_id} still RUNNING after {timeout} s"
        time.sleep(POLL_SECONDS)


def write_package(directory: Path, package: ScormPackage | bytes, name: str = "course.zip") -> Path:
    path = directory / name
    path.write_bytes(package if isinstance(package, bytes) else package.to_bytes())
    return path


def start_upload(
    api: sc.CourseApi, directory: Path, course_id: str, package: ScormPackage | bytes, **kwargs: Any
) -> str:
    path = write_package(directory, package, f"{uuid.uuid4().hex}.zip")
    result = api.create_upload_and_import_course_job(course_id, file=str(path), **kwargs)
    job_id: str = result.result
    assert job_id
    return job_id


def import_course(
    api: sc.CourseApi, directory: Path, course_id: str, package: ScormPackage | bytes | None = None, **kwargs: Any
) -> sc.ImportJobResultSchema:
    """Upload ``package`` as ``course_id`` and wait until the job is COMPLETE."""
    job_id = start_upload(api, directory, course_id, package or ScormPackage(title=f"Course {course_id}"), **kwargs)
    job = wait_for_job(api, job_id)
    assert job.status == "COMPLETE", job.message
    return job


def manifest_12(items: str, resources: str, metadata: str = "") -> str:
    """A SCORM 1.2 manifest around hand-written items and resources (for packages ScormPackage cannot express)."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><manifest identifier="m1" version="1" {NS_12}>'
        f"<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion>{metadata}</metadata>"
        f'<organizations default="org"><organization identifier="org"><title>Hand-written</title>{items}'
        f"</organization></organizations><resources>{resources}</resources></manifest>"
    )


SCO_RESOURCE = '<resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html"/>'
LOM = (
    '<lom xmlns="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"><general>'
    '<title><langstring xml:lang="en-US">Metadata Title</langstring></title>'
    '<description><langstring xml:lang="en-US">What this course teaches</langstring></description>'
    "<keyword><langstring>safety</langstring></keyword><keyword><langstring>basics</langstring></keyword>"
    "</general></lom>"
)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def html(text: str) -> bytes:
    return f"<html><body>{text}</body></html>".encode()


def fetch_content(url: str) -> httpx.Response:
    return httpx.get(url, timeout=10.0)


def version_numbers(api: sc.CourseApi, course_id: str) -> list[int]:
    return [c.version for c in api.get_course_versions(course_id).courses]
