"""Against a real ``coursehost serve`` process: slow and oversized request heads, the official client's token flow,
secret rotation from the command line, forwarded-for handling, and what ends up in the server's log."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import rustici_software_cloud_v2 as sc
from rustici_software_cloud_v2.rest import ApiException

from coursehost.auth.service import create_application
from coursehost.kit.db import Database
from tests.integration.conftest import basic
from tests.security.conftest import Served, start_server, stop_server

SLOW_CLIENTS = 20


def _raw(served: Served) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", served.port), timeout=10)
    sock.settimeout(10)
    return sock


def _read_all(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def test_slow_clients_do_not_block_others_and_are_cut_off(server: Served) -> None:
    """Slowloris: many connections dribbling their headers. A normal request is still answered at once, and the
    dribblers are answered 408 and closed when the head timeout (2 s here) runs out."""
    slow = [_raw(server) for _ in range(SLOW_CLIENTS)]
    silent = _raw(server)  # connects and sends nothing at all
    started = time.monotonic()
    try:
        for sock in slow:
            sock.sendall(b"GET /api/v2/courses HTTP/1.1\r\nHost: x\r\n")
        for round_ in range(3):
            for sock in slow:
                sock.sendall(f"X-Slow-{round_}: 1\r\n".encode())
            begin = time.monotonic()
            response = httpx.get(f"{server.base_url}/api/v2/courses", headers=basic(server.app_id, server.secret_key))
            assert response.status_code == 200
            assert time.monotonic() - begin < 1.0
            time.sleep(0.3)
        for sock in [*slow, silent]:
            answer = _read_all(sock)
            assert answer.startswith(b"HTTP/1.1 408"), answer[:100]
        elapsed = time.monotonic() - started
        assert 1.5 < elapsed < 6.0
    finally:
        for sock in [*slow, silent]:
            sock.close()


def test_oversized_request_head_is_431(server: Served) -> None:
    with _raw(server) as sock:
        sock.sendall(b"GET /api/v2/courses HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 10_000 + b"\r\n\r\n")
        assert _read_all(sock).startswith(b"HTTP/1.1 431")
    with _raw(server) as sock:
        sock.sendall(b"GET /api/v2/courses?" + b"q" * 10_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        assert _read_all(sock).startswith(b"HTTP/1.1 431")
    # The server is fine afterwards.
    assert httpx.get(f"{server.base_url}/api/v2/openapi.json").status_code == 200


def _client(served: Served, *, token: str | None = None, basic_auth: bool = True) -> sc.ApiClient:
    config = sc.Configuration()
    config.host = f"{served.base_url}/api/v2/"
    if basic_auth:
        config.username, config.password = served.app_id, served.secret_key
    if token is not None:
        config.access_token = token
    return sc.ApiClient(config)


@pytest.fixture
def clients() -> Iterator[list[sc.ApiClient]]:
    made: list[sc.ApiClient] = []
    yield made
    for client in made:
        client.rest_client.pool_manager.clear()


def test_official_client_token_flow(server: Served, clients: list[sc.ApiClient]) -> None:
    clients.append(admin := _client(server))
    token = sc.AuthenticationApi(admin).get_app_token("read:course", expiration=300)
    assert token.token_type == "Bearer"
    assert token.expires_in == 300
    clients.append(reader := _client(server, token=token.access_token, basic_auth=False))
    assert sc.CourseApi(reader).get_courses().courses == []
    with pytest.raises(ApiException) as refused:
        sc.CourseApi(reader).delete_course("anything")
    assert refused.value.status == 403
    # With Basic and a token both configured, the client sends the token, and its scope applies.
    clients.append(both := _client(server, token=token.access_token))
    with pytest.raises(ApiException) as also_refused:
        sc.CourseApi(both).set_course_title("anything", sc.TitleSchema(title="x"))
    assert also_refused.value.status == 403

    expiry = datetime.now(UTC).replace(tzinfo=None) + timedelta(minutes=2)
    request = sc.TokenRequestSchema(
        permissions=sc.PermissionsSchema(scopes=["write:course", "read:course"]), expiry=expiry
    )
    created = sc.ApplicationManagementApi(admin).create_token(request).result
    clients.append(writer := _client(server, token=created, basic_auth=False))
    with pytest.raises(ApiException) as missing:
        sc.CourseApi(writer).set_course_title("no-such-course", sc.TitleSchema(title="x"))
    assert missing.value.status == 404  # past authentication and scope: the course just does not exist


def test_rotate_secret_from_the_command_line(server: Served, tmp_path: Path) -> None:
    database = Database(server.env["COURSEHOST_DATABASE_URL"])
    with database.session() as session:
        app = create_application(session, "to-rotate")
    database.dispose()
    old = basic(app.app_id, app.secret_key)
    token = httpx.post(
        f"{server.base_url}/api/v2/oauth/authenticate/application/token", data={"scope": "read"}, headers=old
    ).json()["access_token"]
    courses = f"{server.base_url}/api/v2/courses"
    assert httpx.get(courses, headers=old).status_code == 200  # the server remembers the key now
    rotated = json.loads(_cli(server, tmp_path, "apps", "rotate-secret", app.app_id, "--json").stdout)
    assert rotated["appId"] == app.app_id
    assert rotated["secretKey"] != app.secret_key
    # The CLI is another process: the server learns of the rotation at its next poll (cache_poll_seconds, 1 s).
    deadline = time.monotonic() + 1.0 + 2.0  # the bound, and slack for a loaded machine
    while httpx.get(courses, headers=old).status_code != 401:
        assert time.monotonic() < deadline, "the old secret still works past the bound"
        time.sleep(0.05)
    assert httpx.get(courses, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert httpx.get(courses, headers=basic(app.app_id, rotated["secretKey"])).status_code == 200
    assert _cli(server, tmp_path, "apps", "rotate-secret", "NO-SUCH-APP", code=1).returncode == 1


def _cli(server: Served, cwd: Path, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in server.env.items() if k != "COURSEHOST_DATA_DIR"}
    result = subprocess.run(
        [sys.executable, "-m", "coursehost", *args],
        env=env | {"COURSEHOST_DATA_DIR": str(cwd / "cli-data")},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == code, result.stderr + result.stdout
    return result


def test_forwarded_for_is_believed_only_from_trusted_proxies(database_url: str, tmp_path: Path) -> None:
    served = start_server(database_url, tmp_path, forwarded_allow_ips="192.0.2.1", auth_max_failures_per_address="3")
    try:
        courses = f"{served.base_url}/api/v2/courses"
        wrong = basic(served.app_id, "wrong")
        codes = [
            httpx.get(courses, headers=wrong | {"X-Forwarded-For": f"198.51.100.{n}"}).status_code for n in range(5)
        ]
        # Spoofed addresses do not reset the count: the real peer (127.0.0.1, untrusted here) is what is limited.
        assert codes == [401, 401, 401, 429, 429]
    finally:
        stop_server(served)


def test_server_log_holds_no_credentials(server: Served) -> None:
    base = f"{server.base_url}/api/v2"
    good = basic(server.app_id, server.secret_key)
    token = httpx.post(f"{base}/oauth/authenticate/application/token", data={"scope": "read"}, headers=good).json()[
        "access_token"
    ]
    httpx.get(f"{base}/courses", headers={"Authorization": f"Bearer {token}"})
    httpx.get(f"{base}/courses", headers={"Authorization": f"Bearer {token}x"})
    httpx.get(f"{base}/courses", headers=basic(server.app_id, "guess-" + server.secret_key))
    httpx.get(f"{base}/courses", headers=basic(server.secret_key, server.secret_key))  # secret typed as the id
    time.sleep(0.3)
    log = server.log()
    assert "401" in log  # the access log is there, and shows these requests
    for secret in (server.secret_key, token, good["Authorization"].split()[1]):
        assert secret not in log
