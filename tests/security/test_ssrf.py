"""Outbound requests (fetches, postbacks) reach public addresses only: refused before any connection is attempted.

Every test here replaces name resolution with a fixed table and watches ``socket.connect``: a refused destination
must never see a connection attempt, and nothing may ever connect anywhere but loopback (where the tests' own
servers listen), so the suite sends no traffic off this machine whatever happens.
"""

from __future__ import annotations

import io
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address
from typing import Any

import pytest

from coursehost.imports.postback import deliver
from coursehost.kit.fetch import FetchError, FetchLimits, download
from coursehost.kit.outbound import OutboundPolicy, is_public, redact_url

FAKE_DNS: dict[str, list[str]] = {
    "localhost": ["127.0.0.1", "::1"],
    "internal.example.test": ["10.0.0.5"],
    "metadata.example.test": ["169.254.169.254"],
    "mixed.example.test": ["93.184.216.34", "192.168.1.10"],
    "v6-loopback.example.test": ["::1"],
}


class Connections:
    def __init__(self) -> None:
        self.attempts: list[str] = []


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> Connections:
    seen = Connections()
    real_connect = socket.socket.connect

    def fake_getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        name = host.decode() if isinstance(host, bytes) else str(host)
        try:
            answers = [str(ip_address(name))]  # a numeric host: no lookup at all
        except ValueError:
            if name not in FAKE_DNS:
                raise socket.gaierror(socket.EAI_NONAME, "not in the test's DNS table") from None
            answers = FAKE_DNS[name]
        out = []
        for address in answers:
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sockaddr = (address, int(port or 0), 0, 0) if family == socket.AF_INET6 else (address, int(port or 0))
            out.append((family, socket.SOCK_STREAM, 6, "", sockaddr))
        return out

    def guarded_connect(self: socket.socket, address: Any) -> None:
        host = str(address[0]) if isinstance(address, tuple) else str(address)
        seen.attempts.append(host)
        if not ip_address(host.split("%")[0]).is_loopback:
            raise AssertionError(f"the test tried to connect to {host}")
        real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    return seen


@pytest.fixture
def peer() -> Iterator[dict[str, Any]]:
    """A local HTTP server: /file answers bytes, /to?u=URL redirects there; it records each request's Host."""
    state: dict[str, Any] = {"hosts": [], "posts": 0}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return

        def do_GET(self) -> None:  # noqa: N802
            state["hosts"].append(self.headers.get("Host"))
            if self.path.startswith("/to?u="):
                self.send_response(302)
                self.send_header("Location", self.path.removeprefix("/to?u="))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Length", "5")
            self.end_headers()
            self.wfile.write(b"hello")

        def do_POST(self) -> None:  # noqa: N802
            state["posts"] += 1
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(204)
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["port"] = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(5)


def fetch(url: str, allow: str = "") -> bytes:
    target = io.BytesIO()
    download(url, target, FetchLimits(max_bytes=1024, connect_timeout=2, read_timeout=2, outbound_allow=allow))
    return target.getvalue()


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0", "224.0.0.1", "239.255.255.250", "255.255.255.255", "192.0.2.1", "198.18.0.1", "240.0.0.1",
        "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
        "::ffff:169.254.169.254", "2002:7f00:1::1", "2002:a00:1::1", "64:ff9b::a00:1", "2001:db8::1", "::127.0.0.1",
    ],
)  # fmt: skip
def test_non_public_addresses(address: str) -> None:
    assert not is_public(ip_address(address))


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1"]
)
def test_public_addresses(address: str) -> None:
    assert is_public(ip_address(address))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/package.zip",
        "http://10.0.0.1/package.zip",
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://[::1]:9/package.zip",
        "http://[::ffff:127.0.0.1]:9/package.zip",
        "http://[::ffff:a9fe:a9fe]/latest/meta-data/",
        "http://[fe80::1]/x",
        "http://0.0.0.0:9/x",
        "http://224.0.0.1/x",
        "http://localhost:9/package.zip",
        "http://LOCALHOST./package.zip",
        "http://internal.example.test/package.zip",
        "http://metadata.example.test/latest/meta-data/",
        "http://mixed.example.test/package.zip",
        "http://v6-loopback.example.test/package.zip",
        "https://internal.example.test/package.zip",
    ],
)
def test_fetch_refuses_before_connecting(connections: Connections, url: str) -> None:
    with pytest.raises(FetchError, match="refused"):
        fetch(url)
    assert connections.attempts == []


@pytest.mark.parametrize("url", ["ftp://example.com/x.zip", "file:///etc/passwd", "gopher://127.0.0.1:70/x"])
def test_only_http_and_https(connections: Connections, url: str) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        fetch(url)
    assert connections.attempts == []


def test_allow_list_lets_named_networks_through(connections: Connections, peer: dict[str, Any]) -> None:
    url = f"http://127.0.0.1:{peer['port']}/file"
    with pytest.raises(FetchError, match="refused"):
        fetch(url)
    assert fetch(url, allow="127.0.0.0/8") == b"hello"
    assert fetch(f"http://localhost:{peer['port']}/file", allow="localhost") == b"hello"
    assert connections.attempts == ["127.0.0.1", "127.0.0.1"]


@pytest.mark.parametrize(
    "target",
    [
        "http://10.0.0.1/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://internal.example.test/x",
        "http://[::1]:9/x",
        "file:///etc/passwd",
    ],
)
def test_redirects_are_checked_at_every_hop(connections: Connections, peer: dict[str, Any], target: str) -> None:
    with pytest.raises(FetchError, match="refused|only http and https|failed"):
        fetch(f"http://127.0.0.1:{peer['port']}/to?u={target}", allow="127.0.0.1/32")
    assert connections.attempts == ["127.0.0.1"]  # the allowed first hop only


def test_connection_is_pinned_to_the_checked_address(
    connections: Connections, peer: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the name resolves to an allowed address when checked and to another one afterwards. The
    connection goes to the address that was checked (resolution happens once), with the name kept in Host."""
    answers = iter([["127.0.0.1"], ["10.0.0.9"], ["10.0.0.9"]])
    lookups: list[str] = []
    real = socket.getaddrinfo

    def rebinding(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if host == "rebind.example.test":
            lookups.append(host)
            FAKE_DNS["rebind.example.test"] = next(answers)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    try:
        assert fetch(f"http://rebind.example.test:{peer['port']}/file", allow="127.0.0.1/32") == b"hello"
    finally:
        FAKE_DNS.pop("rebind.example.test", None)
    assert lookups == ["rebind.example.test"]
    assert connections.attempts == ["127.0.0.1"]
    assert peer["hosts"] == [f"rebind.example.test:{peer['port']}"]


def test_postbacks_are_refused_before_connecting(connections: Connections, peer: dict[str, Any]) -> None:
    payload = {"jobId": "j", "status": "COMPLETE"}
    for url in ("http://10.0.0.1/pb", "http://169.254.169.254/", "http://localhost:9/pb", "http://[::1]:9/pb"):
        assert deliver(url, payload, attempts=1, backoff=0, timeout=2) is False
    assert deliver(f"http://127.0.0.1:{peer['port']}/pb", payload, attempts=1, backoff=0, timeout=2) is False
    assert connections.attempts == []
    assert peer["posts"] == 0
    allowed = deliver(f"http://127.0.0.1:{peer['port']}/pb", payload, 1, 0, 2, outbound_allow="127.0.0.1/32")
    assert allowed is True
    assert peer["posts"] == 1


def test_policy_parsing() -> None:
    policy = OutboundPolicy(" 10.0.0.0/8 , [::1], packages.internal. ,")
    assert policy.hosts == {"packages.internal"}
    assert policy.permits(ip_address("10.20.30.40"))
    assert policy.permits(ip_address("::1"))
    assert policy.permits(ip_address("::ffff:10.1.1.1"))
    assert not policy.permits(ip_address("192.168.0.1"))


def test_log_form_of_urls_drops_credentials() -> None:
    shown = redact_url("https://user:hunter2@hooks.example.com:8443/pb/x?token=abc#frag")
    assert shown == "https://hooks.example.com:8443/pb/x?…"
    assert "hunter2" not in shown
    assert "abc" not in shown
