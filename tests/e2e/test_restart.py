"""A job that was running when the server was killed is finished by the next server process."""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.support.files import stored_files
from tests.support.packages import ScormPackage


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "coursehost", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v2/openapi.json", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


@pytest.fixture
def server_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = os.environ | {
        "COURSEHOST_DATA_DIR": str(tmp_path / "data"),
        "COURSEHOST_DATABASE_URL": database_url,
        "COURSEHOST_SECRET_KEY": "restart-test",
        "COURSEHOST_JOB_LEASE_SECONDS": "2",
        "COURSEHOST_WORKER_POLL_SECONDS": "0.2",
    }
    return env


def big_package(path: Path) -> Path:
    """Enough incompressible files that the import is still running when the server is killed."""
    package = ScormPackage(title="Survivor")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("imsmanifest.xml", package.manifest())
        zf.writestr("index.html", b"<html>SCO</html>")
        for n in range(1500):
            zf.writestr(f"media/{n // 100}/f{n}.bin", os.urandom(40_000))
    return path


def test_job_survives_a_killed_server(server_env: dict[str, str], tmp_path: Path) -> None:
    created = subprocess.run(
        [sys.executable, "-m", "coursehost", "apps", "create", "restart", "--json"],
        env=server_env,
        check=True,
        capture_output=True,
    )
    creds = json.loads(created.stdout)
    auth = (creds["appId"], creds["secretKey"])
    port = free_port()
    base = f"http://127.0.0.1:{port}/api/v2"
    proc = start(server_env, port)
    try:
        with big_package(tmp_path / "big.zip").open("rb") as handle:
            response = httpx.post(
                f"{base}/courses/importJobs/upload",
                params={"courseId": "survivor"},
                files={"file": ("big.zip", handle, "application/zip")},
                auth=auth,
                timeout=60,
            )
        assert response.status_code == 200, response.text
        job_id = response.json()["result"]
        # Killed once the worker has begun storing the package's files (a fixed pause was once long enough; imports
        # are faster now), so the job dies mid-way and the next process must take it over when its lease runs out.
        deadline = time.monotonic() + 30
        while not stored_files(tmp_path / "data", "blobs") and time.monotonic() < deadline:
            time.sleep(0.005)
        status = httpx.get(f"{base}/courses/importJobs/{job_id}", auth=auth).json()
        assert status["status"] == "RUNNING"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)

    proc = start(server_env, port)
    try:
        deadline = time.monotonic() + 60
        while True:
            status = httpx.get(f"{base}/courses/importJobs/{job_id}", auth=auth).json()
            if status["status"] != "RUNNING" or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert status["status"] == "COMPLETE", status
        course = httpx.get(f"{base}/courses/survivor", auth=auth).json()
        assert course["title"] == "Survivor"
        files = stored_files(tmp_path / "data", "blobs")
        assert len(files) == 1502  # the 1,500 random files, index.html and the manifest
    finally:
        proc.terminate()
        proc.wait(15)


def scratch_files(data_dir: Path) -> list[Path]:
    return [p for p in (data_dir / "tmp").rglob("*") if p.is_file() and not p.name.startswith(".")]


def test_upload_cut_by_a_killed_server_leaves_no_file(server_env: dict[str, str]) -> None:
    """kill -9 during an upload: the next server to start removes the half-written temporary file."""
    data_dir = Path(server_env["COURSEHOST_DATA_DIR"])
    created = subprocess.run(
        [sys.executable, "-m", "coursehost", "apps", "create", "cut", "--json"],
        env=server_env,
        check=True,
        capture_output=True,
    )
    creds = json.loads(created.stdout)
    port = free_port()
    proc = start(server_env, port)
    boundary = "cutcutcut"
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.zip"\r\n\r\n'.encode()
    declared = 20 * 1024 * 1024
    auth = base64.b64encode(f"{creds['appId']}:{creds['secretKey']}".encode()).decode()
    sock = socket.create_connection(("127.0.0.1", port))
    try:
        sock.sendall(
            (
                f"POST /api/v2/courses/importJobs/upload?courseId=cut HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Basic {auth}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
                f"Content-Length: {declared}\r\n\r\n"
            ).encode()
            + head
            + os.urandom(4 * 1024 * 1024)
        )
        deadline = time.monotonic() + 10
        while not any(p.stat().st_size > 1024 * 1024 for p in scratch_files(data_dir)):
            assert time.monotonic() < deadline, "the upload never reached a temporary file"
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
        sock.close()
    left = scratch_files(data_dir)
    assert left, "kill -9 left nothing behind: the test no longer reproduces the crash"

    proc = start(server_env, port)
    try:
        deadline = time.monotonic() + 10
        while any(p.exists() for p in left):
            assert time.monotonic() < deadline, f"still there after a restart: {left}"
            time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(15)
