"""``coursehost serve --workers 2``: two server processes on one port and one database (PostgreSQL when the suite
runs on it), driven by the official client. What each process keeps in memory stays correct: a secret rotated by
another process (the CLI) stops working in both within ``cache_poll_seconds``, and the failed-authentication
budget of an address is one budget, whichever process its attempts reach."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rustici_software_cloud_v2 as sc

from tests.e2e.conftest import (
    Credentials,
    Server,
    Store,
    _wait_ready,
    close_api,
    create_app_in_process,
    expect_api_error,
    free_port,
    import_course,
    make_api,
    run_cli,
    stop_server,
    unique_id,
)
from tests.integration.conftest import basic

POLL_SECONDS = 0.5  # the servers' cache_poll_seconds: the bound on what another process may still accept
PER_ADDRESS = 20
WORKERS = 2


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.extend(int(child) for child in (task / "children").read_text().split())
    return found


@pytest.fixture(scope="module")
def workers(store: Store) -> Iterator[Server]:
    port = free_port()
    env = store.env | {
        "COURSEHOST_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "COURSEHOST_CACHE_POLL_SECONDS": str(POLL_SECONDS),
        "COURSEHOST_AUTH_MAX_FAILURES_PER_ADDRESS": str(PER_ADDRESS),
    }
    log_path = store.root / "workers.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "coursehost", "serve", "--host", "127.0.0.1", "--port", str(port)]
            + ["--workers", str(WORKERS)],
            env=env,
            cwd=store.root,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(process=process, port=port, env=env, log_path=log_path)
    try:
        _wait_ready(server)
        # uvicorn answers as soon as one worker is up: wait for both.
        deadline = time.monotonic() + 60
        while server.log().count("Application startup complete") < WORKERS:
            assert time.monotonic() < deadline, server.log()
            time.sleep(0.1)
    except BaseException:
        stop_server(server)
        raise
    yield server
    stop_server(server)
    assert process.returncode == 0, server.log()


def _fresh_gets(url: str, headers: dict[str, str], times: int = 15, source: str = "127.0.0.1") -> list[int]:
    """Each on a new connection, so the two processes each take some (the kernel hands connections out), from the
    loopback address ``source`` (each test's failures count against an address of its own)."""
    codes = []
    for _ in range(times):
        with httpx.Client(transport=httpx.HTTPTransport(local_address=source)) as client:
            codes.append(client.get(url, headers=headers).status_code)
    return codes


def test_two_processes_serve_the_official_client(workers: Server, store: Store, tmp_path: Path) -> None:
    assert len([pid for pid in _children(workers.process.pid) if _is_server(pid)]) == WORKERS
    creds = create_app_in_process(store, "workers")
    api = make_api(workers, creds.app_id, creds.secret_key)
    try:
        course_id = unique_id("w")
        import_course(api, tmp_path, course_id)
        assert api.get_course(course_id).id == course_id
        assert course_id in [c.id for c in api.get_courses().courses]
        api.put_course_tags(course_id, sc.TagListSchema(tags=["both"]))
        # Read back on fresh connections: whichever process answers sees the write (committed before the answer).
        url = f"{workers.base_url}/api/v2/courses/{course_id}/tags"
        for _ in range(10):
            assert httpx.get(url, headers=basic(creds.app_id, creds.secret_key)).json() == {"tags": ["both"]}
    finally:
        close_api(api)


def _is_server(pid: int) -> bool:
    # uvicorn's workers run multiprocessing's spawn entry point; its resource tracker (if any) does not serve.
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    return b"multiprocessing.spawn" in cmdline and b"resource_tracker" not in cmdline


def test_a_secret_rotated_elsewhere_stops_working_in_every_process_within_the_bound(
    workers: Server, store: Store
) -> None:
    creds = create_app_in_process(store, "rotated")
    old = basic(creds.app_id, creds.secret_key)
    courses = f"{workers.base_url}/api/v2/courses"
    token = httpx.post(
        f"{workers.base_url}/api/v2/oauth/authenticate/application/token", data={"scope": "read"}, headers=old
    ).json()["access_token"]
    # Both processes remember the key and the token's application.
    assert set(_fresh_gets(courses, old)) == {200}
    assert set(_fresh_gets(courses, {"Authorization": f"Bearer {token}"})) == {200}

    result = run_cli(store, "apps", "rotate-secret", creds.app_id, "--json", env=workers.env)
    assert result.returncode == 0, result.stderr
    rotated = Credentials(creds.app_id, _secret(result.stdout))
    time.sleep(POLL_SECONDS + 0.5)  # the bound (a poll), and some slack for a loaded machine's thread scheduling
    # Failures, each: from two addresses, so that neither runs out of its budget here.
    assert set(_fresh_gets(courses, old, source="127.0.0.3")) == {401}
    assert set(_fresh_gets(courses, {"Authorization": f"Bearer {token}"}, source="127.0.0.4")) == {401}
    fresh = make_api(workers, rotated.app_id, rotated.secret_key)
    try:
        assert fresh.get_courses().courses == []
    finally:
        close_api(fresh)
    stale = make_api(workers, creds.app_id, creds.secret_key)
    try:
        expect_api_error(401, stale.get_courses)
    finally:
        close_api(stale)


def _secret(output: str) -> str:
    import json

    secret: str = json.loads(output)["secretKey"]
    return secret


def test_an_address_has_one_failure_budget_across_the_processes(workers: Server, store: Store) -> None:
    creds = create_app_in_process(store, "guessed")
    courses = f"{workers.base_url}/api/v2/courses"
    wrong = basic(creds.app_id, "a-guess")
    codes = _fresh_gets(courses, wrong, PER_ADDRESS + WORKERS + 2, source="127.0.0.2")
    # Each process reads the shared count back with its own failures: past the budget, at most one more attempt
    # per other process gets through before every process refuses.
    assert codes[:PER_ADDRESS] == [401] * PER_ADDRESS
    assert codes.count(401) <= PER_ADDRESS + WORKERS - 1
    # Which process answers which connection is the kernel's choice: the other process's one attempt may come late.
    assert codes[codes.index(429) :].count(401) <= WORKERS - 1
    time.sleep(POLL_SECONDS + 0.5)  # by now every process has read the shared count, whether it was asked or not
    # The right secret from the same address is refused too, by either process: the guessing is what is stopped.
    assert set(_fresh_gets(courses, basic(creds.app_id, creds.secret_key), 10, source="127.0.0.2")) == {429}
    # Another address is not affected.
    assert set(_fresh_gets(courses, basic(creds.app_id, creds.secret_key), 4)) == {200}
