"""Shared pieces of the benchmarks: free ports, starting and stopping servers, and a bare ASGI app to compare with.

Run as a script (``python bench/_common.py bare PORT``) it serves the bare app with uvicorn exactly as
``coursehost serve`` serves coursehost: one process, log level info.
"""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

BARE_BODY = b'{"id":"bare","title":"A bare ASGI response","version":0}'


async def bare_app(scope: Scope, receive: Receive, send: Send) -> None:
    """The least an ASGI server can answer: a fixed small JSON body for every HTTP request."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(BARE_BODY)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": BARE_BODY})


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def coursehost_env(data_dir: Path, database_url: str = "", **settings: str) -> dict[str, str]:
    """The environment for a coursehost process on ``data_dir``, free of the caller's COURSEHOST_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COURSEHOST_")}
    env |= {
        "COURSEHOST_DATA_DIR": str(data_dir),
        "COURSEHOST_DATABASE_URL": database_url,
        "COURSEHOST_SECRET_KEY": "bench-secret",
    }
    env |= {f"COURSEHOST_{key.upper()}": value for key, value in settings.items()}
    return env


def basic_auth(app_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{app_id}:{secret}".encode()).decode()


def wait_ready(process: subprocess.Popen[bytes], url: str, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2.0) as client:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with code {process.returncode} before answering {url}")
            try:
                client.get(url)
                return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"no answer from {url} within {timeout} s")
            time.sleep(0.1)


def start_process(args: list[str], env: dict[str, str], cwd: Path, ready_url: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(process, ready_url)
    except BaseException:
        stop_process(process)
        raise
    return process


def start_coursehost(
    env: dict[str, str], cwd: Path, extra_args: list[str] | None = None, launcher: list[str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """``coursehost serve`` on a free loopback port; returns the process and its base URL. ``launcher`` replaces
    ``python -m`` (a profiling wrapper)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = env | {"COURSEHOST_PUBLIC_URL": base}
    args = [*(launcher or [sys.executable, "-m"]), "coursehost", "serve", "--host", "127.0.0.1", "--port", str(port)]
    return start_process(args + (extra_args or []), env, cwd, f"{base}/api/v2/openapi.json"), base


def serve_args(workers: int) -> list[str]:
    """``--workers N`` for ``coursehost serve`` when N > 1, if this version of the CLI has the option."""
    if workers <= 1:
        return []
    help_text = subprocess.run(
        [sys.executable, "-m", "coursehost", "serve", "--help"], capture_output=True, text=True, timeout=60
    ).stdout
    if "--workers" not in help_text:
        raise SystemExit("this coursehost serve has no --workers option: only one process can be measured")
    return ["--workers", str(workers)]


def code_under_test() -> str:
    """Where the coursehost the servers run comes from (they inherit this process's PYTHONPATH), and its commit."""
    import coursehost

    source = Path(coursehost.__file__).resolve().parent

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(source), *args], capture_output=True, text=True, check=False).stdout

    commit = git("rev-parse", "--short", "HEAD").strip()
    changed = " with uncommitted changes" if git("status", "--porcelain", "--", ".").strip() else ""
    return f"coursehost from {source} ({f'commit {commit}{changed}' if commit else 'not in git'})"


def machine_load() -> str:
    """``uptime``'s load averages: other work on this shared machine skews every figure."""
    return "load average: " + ", ".join(Path("/proc/loadavg").read_text().split()[:3])


def start_bare(cwd: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args = [sys.executable, str(Path(__file__).resolve()), "bare", str(port)]
    return start_process(args, dict(os.environ), cwd, f"{base}/"), base


def stop_process(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(
            "  ".join(
                cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )


def _serve_bare(port: int) -> None:
    import uvicorn

    uvicorn.run(bare_app, host="127.0.0.1", port=port, log_level="info")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "bare":
        raise SystemExit("usage: python bench/_common.py bare PORT")
    _serve_bare(int(sys.argv[2]))
