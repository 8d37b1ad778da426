"""GetCourse throughput: ``GET /api/v2/courses/{id}`` on a 10,000-course SQLite database, against a bare ASGI app.

Both servers run the same way (uvicorn, one process, on loopback) and get the same bounded load: a warm-up, then a
fixed number of requests from a fixed number of concurrent keep-alive connections. The script prints both rates
and their ratio, then stops the servers and deletes its temporary data directory.

    .venv/bin/python bench/getcourse_throughput.py [--courses 10000] [--requests 3000] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import basic_auth, coursehost_env, print_table, start_bare, start_coursehost, stop_process  # noqa: E402
from _fixtures import course_id, seed  # noqa: E402

RUN_TIMEOUT = 180.0  # seconds allowed for one measured run before it is abandoned


def build_database(data_dir: Path, courses: int) -> tuple[str, str, str]:
    """Migrate a fresh SQLite database, create one application and insert ``courses`` courses. Returns the database
    URL, the app id and its secret."""
    data_dir.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{data_dir / 'coursehost.db'}"
    seeded = seed(url, courses, tags=0)
    return url, seeded.app_id, seeded.secret


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    errors: int
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def row(self) -> list[str]:
        cuts = statistics.quantiles(self.latencies, n=100)
        return [
            self.name,
            str(self.requests),
            str(self.errors),
            f"{self.seconds:.2f}",
            f"{self.rate:,.0f}",
            f"{cuts[49] * 1000:.1f}",
            f"{cuts[94] * 1000:.1f}",
        ]


async def load(
    name: str, urls: list[str], headers: dict[str, str], requests: int, concurrency: int, warmup: int
) -> Result:
    """``concurrency`` workers, each with its own keep-alive connection (one shared httpx pool slows down under
    contention), share a fixed budget of requests: first ``warmup`` unmeasured, then ``requests`` measured."""
    rng = random.Random(1)
    async with AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(
                httpx.AsyncClient(headers=headers, limits=httpx.Limits(max_connections=1), timeout=30.0)
            )
            for _ in range(concurrency)
        ]

        async def run(total: int) -> tuple[int, list[float]]:
            remaining = total
            errors = 0
            latencies: list[float] = []

            async def worker(client: httpx.AsyncClient) -> None:
                nonlocal remaining, errors
                while remaining > 0:
                    remaining -= 1
                    began = time.perf_counter()
                    response = await client.get(rng.choice(urls))
                    latencies.append(time.perf_counter() - began)
                    if response.status_code != 200:
                        errors += 1

            await asyncio.gather(*(worker(client) for client in clients))
            return errors, latencies

        await asyncio.wait_for(run(warmup), RUN_TIMEOUT)
        began = time.perf_counter()
        errors, latencies = await asyncio.wait_for(run(requests), RUN_TIMEOUT)
        return Result(name, requests, time.perf_counter() - began, errors, latencies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--courses", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=3_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=300)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="coursehost-bench-") as tmp:
        root = Path(tmp)
        began = time.perf_counter()
        url, app_id, secret = build_database(root / "data", args.courses)
        print(f"Built a SQLite database with {args.courses:,} courses in {time.perf_counter() - began:.1f} s")
        results: list[Result] = []

        server, base = start_coursehost(coursehost_env(root / "data", url), root)
        try:
            urls = [f"{base}/api/v2/courses/{course_id(n)}" for n in range(args.courses)]
            with httpx.Client() as check:
                probe = check.get(urls[0], headers={"Authorization": basic_auth(app_id, secret)})
            assert probe.status_code == 200, probe.text
            assert probe.json()["id"] == course_id(0)
            headers = {"Authorization": basic_auth(app_id, secret), "Accept": "application/json"}
            results.append(
                asyncio.run(load("coursehost GetCourse", urls, headers, args.requests, args.concurrency, args.warmup))
            )
        finally:
            stop_process(server)

        bare, bare_base = start_bare(root)
        try:
            urls = [f"{bare_base}/courses/{course_id(n)}" for n in range(args.courses)]
            headers = {"Accept": "application/json"}
            results.append(
                asyncio.run(load("bare ASGI app", urls, headers, args.requests, args.concurrency, args.warmup))
            )
        finally:
            stop_process(bare)

    print(f"\n{args.requests:,} requests after {args.warmup} warm-up, concurrency {args.concurrency}, loopback\n")
    print_table(["target", "requests", "errors", "seconds", "req/s", "p50 ms", "p95 ms"], [r.row() for r in results])
    ratio = results[0].rate / results[1].rate
    print(f"\nratio coursehost / bare: {ratio:.3f} ({ratio * 100:.1f} % of the bare ASGI rate)")
    print(
        "(The load generator runs on the same machine in one Python process; when it, not the bare app, is the\n"
        " limit, the bare rate is understated and the true ratio is lower than shown.)"
    )
    if any(r.errors for r in results):
        raise SystemExit("some requests failed")


if __name__ == "__main__":
    main()
