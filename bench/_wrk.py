"""Running ``wrk`` (Debian's /usr/bin/wrk) from the benchmarks: Lua scripts that choose the requests, and the figures
read back from a ``done`` callback that prints one JSON line, so no text of wrk's own report is parsed.

Every script here is written for one wrk thread (``-t1``): its counters are plain Lua variables.
"""

from __future__ import annotations

import json
import secrets
import shutil
import signal
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

WRK = "/usr/bin/wrk"
MARKER = "WRK_RESULT "
# Slow paths under 32 connections (a POST of 100 statements) take seconds per request; wrk's default timeout of 2 s
# would drop the connection and count an error instead of a latency.
TIMEOUT = "30s"

DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_us":%d,"errors_connect":%d,"errors_read":%d,"errors_write":%d,' ..
    '"errors_status":%d,"errors_timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    errors: int  # socket errors, timeouts and responses with a status of 400 or more
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def require_wrk() -> None:
    if shutil.which(WRK) is None:
        raise SystemExit(f"this benchmark needs wrk at {WRK} (Debian package wrk)")


def lua_string(text: str) -> str:
    """A Lua literal for ``text``: a long bracket, which needs no escaping (any newline right after the opening
    bracket would be dropped by Lua, so the text must not start with one)."""
    level = 0
    while (text + f"]{'=' * level}]").find(f"]{'=' * level}]") < len(text):  # no closer inside, nor at the seam
        level += 1
    if text.startswith("\n"):
        raise ValueError("a long-bracket literal cannot start with a newline")
    return f"[{'=' * level}[{text}]{'=' * level}]"


def lua_headers(headers: dict[str, str]) -> str:
    return "".join(f"wrk.headers[ {lua_string(k)} ] = {lua_string(v)}\n" for k, v in headers.items())


def random_paths_script(paths: Sequence[str], headers: dict[str, str], method: str = "GET") -> str:
    """Each request goes to one of ``paths`` at random (a fixed seed, so runs are alike)."""
    table = ",\n".join(lua_string(p) for p in paths)
    return (
        lua_headers(headers)
        + f"local paths = {{\n{table}\n}}\nmath.randomseed(13)\n"
        + f"request = function()\n  return wrk.format({lua_string(method)}, paths[math.random(1, #paths)])\nend\n"
    )


def numbered_body_script(
    targets: Sequence[tuple[str, dict[str, str]]], body: str, placeholder: str, first: int = 1
) -> str:
    """POSTs of ``body`` in which ``placeholder`` becomes a fresh value for each request. With ``__UUID__`` every
    occurrence becomes a new UUID (statement ids), unique across runs thanks to a random run number; any other
    placeholder becomes a number counting up from ``first`` (the ``sequence`` of a run-time snapshot: the caller
    makes each run start above the last). Requests cycle through ``targets``: a path and its full set of headers
    (one player session and its cookie each)."""
    run = secrets.randbits(31)
    rows = ",\n".join(
        "{"
        + lua_string(path)
        + ", {"
        + ", ".join(f"[ {lua_string(k)} ] = {lua_string(v)}" for k, v in h.items())
        + "}}"
        for path, h in targets
    )
    if placeholder == "__UUID__":
        make_body = (
            "  local body = template:gsub('__UUID__', function()\n    n = n + 1\n"
            "    return string.format('%08x-0000-4000-8000-%012x', run, n)\n  end)\n"
        )
    else:
        make_body = f"  local body = template:gsub({lua_string(placeholder)}, tostring(first + n))\n  n = n + 1\n"
    # wrk.format uses the headers it is given instead of wrk.headers (adding Host and Content-Length to them).
    return (
        f"local template = {lua_string(body)}\nlocal targets = {{\n{rows}\n}}\n"
        + f"local run = {run}\nlocal first = {first}\nlocal n = 0\nlocal turn = 0\n"
        + "request = function()\n"
        + make_body
        + "  turn = turn % #targets + 1\n"
        + "  return wrk.format('POST', targets[turn][1], targets[turn][2], body)\nend\n"
    )


def _command(url: str, script: Path, duration: float, connections: int) -> list[str]:
    return [WRK, "-t1", f"-c{connections}", f"-d{duration:g}s", f"--timeout={TIMEOUT}", "-s", str(script), url]


def _parse(out: str, err: str, command: list[str]) -> WrkResult:
    for line in out.splitlines():
        if line.startswith(MARKER):
            data = json.loads(line[len(MARKER) :])
            errors = sum(v for k, v in data.items() if k.startswith("errors_"))
            return WrkResult(
                requests=data["requests"],
                seconds=data["duration_us"] / 1e6,
                errors=errors,
                p50_ms=data["p50_us"] / 1000,
                p90_ms=data["p90_us"] / 1000,
                p99_ms=data["p99_us"] / 1000,
                max_ms=data["max_us"] / 1000,
            )
    raise RuntimeError(f"wrk printed no result ({' '.join(command)}):\n{out}\n{err}")


def write_script(directory: Path, name: str, script: str) -> Path:
    path = directory / f"{name}.lua"
    path.write_text(script + DONE)
    return path


def run_wrk(url: str, script: Path, duration: float, connections: int) -> WrkResult:
    command = _command(url, script, duration, connections)
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 120)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return _parse(done.stdout, done.stderr, command)


def run_wrk_until(url: str, script: Path, connections: int, stop: threading.Event, limit: float = 3600) -> WrkResult:
    """wrk for as long as ``stop`` is not set (at most ``limit`` seconds): on SIGINT wrk ends its run and still
    reports, with the duration it actually ran."""
    command = _command(url, script, limit, connections)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stop.wait(limit)
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return _parse(out, err, command)
