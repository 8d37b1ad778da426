"""Throughput of the paths learners and integrations hit (``wrk -t1 -c32``), against a bare ASGI app in the same run.

First the bare app (bench/_common.py: uvicorn, one process, a fixed small JSON body) gets the same load shapes, then
``coursehost serve`` on a fresh data directory and database (SQLite, or PostgreSQL with ``--database-url``: that
database is dropped and created again first) gets, one path after the other (a warm-up, then a measured run each):

* ``getcourse``   GET /api/v2/courses/{id} with Basic auth, a random one of ``--courses`` course ids;
* ``getcourses``  GET /api/v2/courses, a random one of the first 20 pages of 100 (the first, then ``more`` links);
* ``content``     GET of a 2 KB file at the webPathToCourse of a package imported through the API (a random one of
                  its 50 files);
* ``commit``      POST of a SCORM 1.2 run-time snapshot (what the player's run-time sends on LMSCommit) to
                  /player/s/{session}/runtime/1, cycling over 32 preview sessions, each commit's sequence higher;
* ``statements``  POST /lrs/{appId}/statements of 100 statements per request (new ids each; from
                  ``--statements-connections``, 8, since each takes seconds), then GETs of random pages of 100 of what
                  was stored (following ``more``).

For each path: requests/s, p50 and p99 latency, errors, and the ratio coursehost / bare (bare measured with the same
method and body: GETs against a plain GET, the POSTs with the same bodies). The courses are inserted through the ORM
models; the package, sessions and statements go through the API.

    .venv/bin/python bench/wrk_paths.py [--paths getcourse,getcourses,content,commit,statements]
        [--duration 10] [--warmup 3] [--connections 32] [--statements-connections 8] [--workers 1]
        [--courses 10000]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_paths]   # dropped and created first!
        [--profile getcourse.prof]   # coursehost under cProfile in every thread (bench/_profiled.py); one path

With ``--profile`` the rates are those of a profiled server (several times slower): read the shares of the time.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _profiled  # noqa: E402
from _common import (  # noqa: E402
    basic_auth,
    code_under_test,
    coursehost_env,
    machine_load,
    print_table,
    serve_args,
    start_bare,
    start_coursehost,
    stop_process,
)
from _fixtures import (  # noqa: E402
    commit_body,
    content_path,
    course_id,
    import_package,
    open_player_session,
    reset_database,
    seed,
    small_package,
)
from _wrk import WrkResult, numbered_body_script, random_paths_script, require_wrk, run_wrk, write_script  # noqa: E402
from statements_throughput import statement  # noqa: E402

PATHS = ("getcourse", "getcourses", "content", "commit", "statements")
XAPI = {"X-Experience-API-Version": "2.0.0"}
SESSIONS = 32  # player sessions the commits cycle over, one per learner
PAGES = 20  # pages of getCourses, and at most this many of statements, the GETs choose among
BATCH = 100


@dataclass
class Row:
    name: str
    shape: str  # which bare measurement it compares with
    result: WrkResult
    per_request: int = 1  # items per request (statements)


class Runner:
    """Runs wrk scripts with a warm-up before each measured run; numbered scripts are rebuilt for each run so the
    run-time's sequence numbers keep growing."""

    def __init__(self, tmp: Path, duration: float, warmup: float, connections: int) -> None:
        self.tmp, self.duration, self.warmup, self.connections = tmp, duration, warmup, connections
        self.count = 0

    def measure(self, base: str, make_script: Callable[[int], str], connections: int = 0) -> WrkResult:
        result = None
        for seconds in ([self.warmup] if self.warmup > 0 else []) + [self.duration]:
            self.count += 1
            script = write_script(self.tmp, f"run{self.count}", make_script(self.count * 10_000_000))
            result = run_wrk(base, script, seconds, connections or self.connections)
        assert result is not None
        return result


def commit_template() -> str:
    return json.dumps(commit_body()).replace('"__SEQ__"', "__SEQ__")


def statements_template() -> str:
    return json.dumps([statement(n, n % 50) | {"id": "__UUID__"} for n in range(BATCH)])


def bare_scripts(auth: dict[str, str]) -> dict[str, Callable[[int], str]]:
    """The load shapes the bare app is measured with: a GET, and each POST with the very body coursehost gets."""
    session = [("/player/s/0123456789abcdef/runtime/1", {"Cookie": "coursehost_player=" + "0" * 64})]
    json_type = {"Content-Type": "application/json"}
    lrs = [("/lrs/APP/statements", auth | XAPI | json_type)]
    return {
        "get": lambda _first: random_paths_script(["/"], auth),
        "commit": lambda first: numbered_body_script(
            [(p, h | json_type) for p, h in session], commit_template(), "__SEQ__", first
        ),
        "statements": lambda first: numbered_body_script(lrs, statements_template(), "__UUID__", first),
    }


def follow_pages(client: httpx.Client, first: str, key: str, limit: int) -> list[str]:
    """``first`` and the pages after it, as paths with their queries, at most ``limit``. ``more`` is a token for
    the same path in the SCORM Cloud API, a URL in xAPI."""
    paths = [first]
    while len(paths) < limit:
        body = client.get(paths[-1]).raise_for_status().json()
        more = body.get("more")
        if not more or not body.get(key):
            break
        if first.startswith("/api/"):
            paths.append(f"{first}?{urlencode({'more': more})}")
        else:
            parts = urlsplit(urljoin(str(client.base_url.join(paths[-1])), more))
            paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def run_paths(
    runner: Runner, base: str, chosen: list[str], app_id: str, secret: str, courses: int, post_connections: int
) -> list[Row]:
    auth = {"Authorization": basic_auth(app_id, secret)}
    api = httpx.Client(base_url=f"{base}/api/v2", headers=auth | {"Accept": "application/json"}, timeout=600.0)
    rows: list[Row] = []
    with api:
        if "getcourse" in chosen:
            paths = [f"/api/v2/courses/{course_id(n)}" for n in range(courses)]
            api.get(paths[0].removeprefix("/api/v2")).raise_for_status()
            rows.append(Row("getCourse", "get", runner.measure(base, lambda _f: random_paths_script(paths, auth))))
        if "getcourses" in chosen:
            with httpx.Client(base_url=base, headers=auth, timeout=60.0) as client:
                pages = follow_pages(client, "/api/v2/courses", "courses", PAGES)
            rows.append(
                Row("getCourses (100)", "get", runner.measure(base, lambda _f: random_paths_script(pages, auth)))
            )
        if "content" in chosen or "commit" in chosen:
            package, names = small_package()
            job = import_package(api, "bench-small", package)
        if "content" in chosen:
            files = [content_path(job) + name for name in names]
            httpx.get(base + files[0]).raise_for_status()
            rows.append(Row("content 2 KB", "get", runner.measure(base, lambda _f: random_paths_script(files, {}))))
        if "commit" in chosen:
            sessions = [open_player_session(api, "bench-small") for _ in range(SESSIONS)]
            json_type = {"Content-Type": "application/json"}
            targets = [(s.runtime_path, {"Cookie": s.cookie} | json_type) for s in sessions]
            probe = httpx.post(
                base + targets[0][0], headers=targets[0][1], content=commit_template().replace("__SEQ__", "1")
            )
            if probe.json() != {"stored": True}:
                raise RuntimeError(f"a run-time commit answered {probe.status_code}: {probe.text[:300]}")
            body = commit_template()
            rows.append(
                Row(
                    "player commit",
                    "commit",
                    runner.measure(base, lambda f: numbered_body_script(targets, body, "__SEQ__", f)),
                )
            )
        if "statements" in chosen:
            lrs = f"/lrs/{app_id}/statements"
            headers = auth | XAPI | {"Content-Type": "application/json"}
            body = statements_template()
            post = runner.measure(
                base, lambda f: numbered_body_script([(lrs, headers)], body, "__UUID__", f), post_connections
            )
            rows.append(Row("statements POST 100", "statements", post, BATCH))
            with httpx.Client(base_url=base, headers=auth | XAPI, timeout=60.0) as client:
                pages = follow_pages(client, f"{lrs}?limit={BATCH}", "statements", PAGES)
            get = runner.measure(base, lambda _f: random_paths_script(pages, auth | XAPI))
            rows.append(Row(f"statements GET 100 ({len(pages)} pages)", "get", get, BATCH))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paths", default=",".join(PATHS), help=f"comma-separated, of {', '.join(PATHS)}")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of each measured wrk run")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of the wrk run before each measured one")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--statements-connections",
        type=int,
        default=8,
        help="connections for the POSTs of 100 statements (seconds each: 32 would leave most in flight at the end)",
    )
    parser.add_argument("--workers", type=int, default=1, help="coursehost serve --workers N (when it has it)")
    parser.add_argument("--courses", type=int, default=10_000)
    parser.add_argument("--database-url", default="", help="PostgreSQL, dropped and created first (default SQLite)")
    parser.add_argument(
        "--profile", default="", metavar="OUT.prof", help="run coursehost under cProfile (one process; choose one path)"
    )
    args = parser.parse_args()
    if args.profile and args.workers > 1:
        raise SystemExit("--profile profiles one process: leave --workers out")
    chosen = [p.strip() for p in args.paths.split(",") if p.strip()]
    if unknown := set(chosen) - set(PATHS):
        raise SystemExit(f"unknown paths: {', '.join(sorted(unknown))} (known: {', '.join(PATHS)})")
    require_wrk()
    extra = serve_args(args.workers)
    load_before = machine_load()
    print(code_under_test(), flush=True)

    with tempfile.TemporaryDirectory(prefix="coursehost-bench-") as tmp:
        root = Path(tmp)
        data = root / "data"
        data.mkdir()
        url = args.database_url or f"sqlite:///{data / 'coursehost.db'}"
        reset_database(url)
        began = time.perf_counter()
        courses = args.courses if {"getcourse", "getcourses"} & set(chosen) else 0
        seeded = seed(url, courses)
        print(f"seeded {courses:,} courses in {time.perf_counter() - began:.1f} s", flush=True)
        runner = Runner(root, args.duration, args.warmup, args.connections)
        auth = {"Authorization": basic_auth(seeded.app_id, seeded.secret)}

        shapes = {"get"}
        shapes |= {"commit"} if "commit" in chosen else set()
        shapes |= {"statements"} if "statements" in chosen else set()
        bare_results: dict[str, WrkResult] = {}
        bare, bare_base = start_bare(root)
        try:
            for shape, make in bare_scripts(auth).items():
                if shape in shapes:
                    connections = args.statements_connections if shape == "statements" else 0
                    bare_results[shape] = runner.measure(bare_base, make, connections)
        finally:
            stop_process(bare)

        launcher = _profiled.launcher(args.profile) if args.profile else None
        server, base = start_coursehost(coursehost_env(data, url), root, extra, launcher)
        try:
            rows = run_paths(runner, base, chosen, seeded.app_id, seeded.secret, courses, args.statements_connections)
        finally:
            stop_process(server)

    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"\n{database}, coursehost serve with {max(args.workers, 1)} process(es); wrk -t1 -c{args.connections} "
        f"-d{args.duration:g}s (POSTs of statements -c{args.statements_connections}) after a {args.warmup:g} s "
        f"warm-up each; {load_before} (start), {machine_load()} (end)\n"
    )
    table = [[f"bare ASGI ({shape})", *cells(r, r, 1)] for shape, r in bare_results.items()]
    table += [[row.name, *cells(row.result, bare_results[row.shape], row.per_request)] for row in rows]
    print_table(["path", "req/s", "items/s", "p50 ms", "p99 ms", "errors", "ratio to bare"], table)
    print("\nratios: " + ", ".join(f"{row.name}={row.result.rate / bare_results[row.shape].rate:.4f}" for row in rows))
    if args.profile:
        print("(PROFILED: every Python call is slowed down, so these rates are not comparable; read the shares)")
        _profiled.report(args.profile, r"coursehost/")
    if any(row.result.errors for row in rows):
        raise SystemExit("some requests failed (errors column)")


def cells(result: WrkResult, bare: WrkResult, per_request: int) -> list[str]:
    return [
        f"{result.rate:,.1f}",
        f"{result.rate * per_request:,.0f}" if per_request > 1 else "",
        f"{result.p50_ms:.1f}",
        f"{result.p99_ms:.1f}",
        str(result.errors),
        f"{result.rate / bare.rate:.4f}",
    ]


if __name__ == "__main__":
    main()
