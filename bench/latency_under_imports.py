"""getCourse latency while 4 large imports run, against the same server idle: the ratio loaded / idle (goal ≤ 3×).

A fresh database (SQLite, or PostgreSQL with ``--database-url``: dropped and created first) with one application and
``--courses`` courses (inserted through the ORM models), and one ``coursehost serve`` with its embedded import
workers. A client sends ``GET /api/v2/courses/{random id}`` with Basic auth at a fixed rate (``--rate`` per second,
open loop: each request leaves at its scheduled time on a pool of connections, whether or not earlier ones have been
answered, and its latency counts from that scheduled time, so a stalled server shows as the full stall). Idle:
``--idle`` seconds with nothing else running, half before the imports and half after (so both phases see the same
machine, which other work on it makes noisy). Loaded: for as long as ``--imports`` uploads of a ~``--megabytes`` MB
package (import_time.py's: incompressible files in folders; one package each, with bytes of its own, since blobs are
content addressed and a second import of the same bytes writes nothing) sent at the same moment take to reach
COMPLETE.

Why not wrk: wrk is closed loop (each connection waits for its answer before sending the next), so even -c4
saturates the server and reports its throughput as latency; a fixed moderate rate, as API clients send, needs an
open-loop client (wrk2 is not packaged in Debian), and at 40 requests/s one Python process is far from its limit.

    .venv/bin/python bench/latency_under_imports.py [--rate 40] [--idle 20] [--imports 4] [--megabytes 50]
        [--files 2000] [--courses 1000] [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_latency]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    basic_auth,
    code_under_test,
    coursehost_env,
    machine_load,
    print_table,
    start_coursehost,
    stop_process,
)
from _fixtures import course_id, reset_database, seed, wait_import  # noqa: E402
from import_time import build_package  # noqa: E402

GOAL = 3.0


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def row(self, name: str) -> list[str]:
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive")
        return [
            name,
            str(len(self.latencies)),
            str(self.errors),
            f"{self.seconds:.1f}",
            f"{cuts[49] * 1000:.1f}",
            f"{cuts[89] * 1000:.1f}",
            f"{cuts[98] * 1000:.1f}",
            f"{max(self.latencies) * 1000:.1f}",
        ]

    def add(self, other: Sample) -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.seconds += other.seconds

    def p(self, percent: int) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[percent - 1]


async def open_loop(urls: list[str], headers: dict[str, str], rate: float, until: threading.Event | float) -> Sample:
    """GETs of random ``urls`` at ``rate`` per second until ``until`` (an event, or a number of seconds)."""
    sample = Sample()
    rng = random.Random(13)
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=60.0) as client:
        loop = asyncio.get_running_loop()
        began = loop.time()

        async def one(scheduled: float) -> None:
            try:
                response = await client.get(rng.choice(urls))
                if response.status_code != 200:
                    sample.errors += 1
            except httpx.HTTPError:
                sample.errors += 1
            sample.latencies.append(loop.time() - scheduled)

        tasks = []
        n = 0
        while not (until.is_set() if isinstance(until, threading.Event) else loop.time() - began >= until):
            scheduled = began + n / rate
            await asyncio.sleep(max(0.0, scheduled - loop.time()))
            tasks.append(asyncio.create_task(one(scheduled)))
            n += 1
        sample.seconds = loop.time() - began
        await asyncio.gather(*tasks)
    return sample


def run_imports(api: str, headers: dict[str, str], packages: list[Path], done: threading.Event) -> list[float]:
    """The uploads of ``packages`` started together, each in its own thread, each waited for until COMPLETE; sets
    ``done`` when all have finished. Returns each import's seconds from its upload's start."""
    times: list[float] = [0.0] * len(packages)
    failures: list[BaseException] = []

    def one(n: int) -> None:
        package = packages[n]
        began = time.perf_counter()
        try:
            with httpx.Client(base_url=api, headers=headers, timeout=600.0) as client, package.open("rb") as handle:
                response = client.post(
                    "/courses/importJobs/upload",
                    params={"courseId": f"bench-import-{n}"},
                    files={"file": (package.name, handle, "application/zip")},
                )
                response.raise_for_status()
                wait_import(client, response.json()["result"], poll=0.25)
            times[n] = time.perf_counter() - began
        except BaseException as exc:  # reported by the caller
            failures.append(exc)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(len(packages))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    if failures:
        raise RuntimeError(f"{len(failures)} import(s) failed") from failures[0]
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=40.0, help="getCourse requests per second")
    parser.add_argument("--idle", type=float, default=20.0, help="seconds measured with no import running")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--imports", type=int, default=4)
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--courses", type=int, default=1000)
    parser.add_argument("--database-url", default="", help="PostgreSQL, dropped and created first (default SQLite)")
    args = parser.parse_args()
    load_before = machine_load()
    print(code_under_test(), flush=True)

    with tempfile.TemporaryDirectory(prefix="coursehost-bench-") as tmp:
        root = Path(tmp)
        data = root / "data"
        data.mkdir()
        packages = [root / f"bench-package-{n}.zip" for n in range(args.imports)]
        size = max(build_package(package, args.files, args.megabytes * 1024 * 1024) for package in packages)
        url = args.database_url or f"sqlite:///{data / 'coursehost.db'}"
        reset_database(url)
        seeded = seed(url, args.courses)
        server, base = start_coursehost(coursehost_env(data, url), root)
        try:
            auth = {"Authorization": basic_auth(seeded.app_id, seeded.secret), "Accept": "application/json"}
            urls = [f"{base}/api/v2/courses/{course_id(n)}" for n in range(args.courses)]
            httpx.get(urls[0], headers=auth).raise_for_status()
            asyncio.run(open_loop(urls, auth, args.rate, args.warmup))
            idle = asyncio.run(open_loop(urls, auth, args.rate, args.idle / 2))
            done = threading.Event()
            outcome: dict[str, list[float]] = {}
            worker = threading.Thread(
                target=lambda: outcome.update(times=run_imports(f"{base}/api/v2", auth, packages, done))
            )
            worker.start()
            loaded = asyncio.run(open_loop(urls, auth, args.rate, done))
            worker.join()
            if "times" not in outcome:
                raise SystemExit("the imports failed (see the traceback above)")
            idle.add(asyncio.run(open_loop(urls, auth, args.rate, args.idle / 2)))
        finally:
            stop_process(server)

    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"{database}; getCourse at {args.rate:g}/s (open loop), idle {args.idle:g} s, then while {args.imports} "
        f"imports of {size / 1024**2:.1f} MB, {args.files + 2}-file packages run (each took "
        f"{', '.join(f'{t:.1f}' for t in outcome['times'])} s); {load_before} (start), {machine_load()} (end)\n"
    )
    print_table(
        ["getCourse", "requests", "errors", "seconds", "p50 ms", "p90 ms", "p99 ms", "max ms"],
        [idle.row("idle"), loaded.row(f"{args.imports} imports running")],
    )
    p99, p50 = loaded.p(99) / idle.p(99), loaded.p(50) / idle.p(50)
    verdict = "meets" if p99 <= GOAL else "misses"
    print(f"\nratio loaded / idle: p99 {p99:.2f}x, p50 {p50:.2f}x ({verdict} the goal p99 <= {GOAL:g}x)")
    if idle.errors or loaded.errors:
        raise SystemExit("some requests failed")


if __name__ == "__main__":
    main()
