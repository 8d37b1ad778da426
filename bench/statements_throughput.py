"""LRS statements: POST batches of 100 statements, then read them back in pages of 100, against a bare ASGI app.

One application's LRS (``/lrs/{appId}/statements``) on a fresh database (SQLite by default, PostgreSQL with
``--database-url``), and in the same run a bare ASGI app that answers every request with a small fixed body, given
the same requests (the same 100-statement bodies; the same GETs). Each gets the same bounded load: ``--concurrency``
keep-alive connections sharing a fixed number of requests after a warm-up. The script prints requests and statements
per second for each and the ratio coursehost / bare, then stops the servers and deletes its temporary directory.

    .venv/bin/python bench/statements_throughput.py [--batches 200] [--concurrency 8]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench]   # emptied first!
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import basic_auth, coursehost_env, print_table, start_bare, start_coursehost, stop_process  # noqa: E402

from coursehost.auth.service import create_application  # noqa: E402
from coursehost.kit.db import Database  # noqa: E402
from coursehost.kit.migrate import upgrade  # noqa: E402
from coursehost.models import Base  # noqa: E402

BATCH = 100
RUN_TIMEOUT = 600.0
VERSION = {"X-Experience-API-Version": "2.0.0"}


def statement(n: int, learner: int) -> dict[str, Any]:
    """A realistic statement: an answered interaction of one of 50 learners in one course, with a score."""
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "name": f"Learner {learner}", "mbox": f"mailto:learner{learner}@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}},
        "object": {
            "objectType": "Activity",
            "id": f"https://example.com/course/1/question/{n % 40}",
            "definition": {
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                "name": {"en-US": f"Question {n % 40}"},
                "interactionType": "choice",
                "correctResponsesPattern": ["a"],
                "choices": [{"id": c, "description": {"en-US": c.upper()}} for c in "abcd"],
            },
        },
        "result": {"success": n % 3 != 0, "response": "a" if n % 3 else "b", "score": {"scaled": 0.5}},
        "context": {
            "registration": str(uuid.UUID(int=learner)),
            "contextActivities": {"parent": [{"id": "https://example.com/course/1"}]},
        },
    }


def reset(database_url: str) -> None:
    if database_url.startswith("postgresql"):
        engine = create_engine(database_url)
        with engine.begin() as conn:
            Base.metadata.drop_all(conn)
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        engine.dispose()
    upgrade(database_url)


async def run_load(
    base: str, requests: Sequence[tuple[str, str, bytes | None]], headers: dict[str, str], concurrency: int
) -> tuple[float, int]:
    """Send ``requests`` (method, path, body) from ``concurrency`` connections; returns seconds and error count."""
    queue = list(reversed(requests))
    errors = 0
    async with AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(
                httpx.AsyncClient(base_url=base, headers=headers, limits=httpx.Limits(max_connections=1), timeout=60)
            )
            for _ in range(concurrency)
        ]

        async def worker(client: httpx.AsyncClient) -> None:
            nonlocal errors
            while queue:
                method, path, body = queue.pop()
                response = await client.request(method, path, content=body)
                if response.status_code >= 300:
                    errors += 1

        began = time.perf_counter()
        await asyncio.wait_for(asyncio.gather(*(worker(c) for c in clients)), RUN_TIMEOUT)
        return time.perf_counter() - began, errors


def page_paths(base: str, headers: dict[str, str], total: int) -> list[str]:
    """Every page of 100 a client reads following ``more`` (read once, so both servers get the same GETs)."""
    paths = ["statements?limit=100"]
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        while True:
            body = client.get(paths[-1]).json()
            more = body.get("more") or ""
            if not more or len(paths) * BATCH >= total:
                return paths
            paths.append(more.split("/lrs/", 1)[1].split("/", 1)[1] if "/lrs/" in more else more.lstrip("/"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    bodies = [
        json.dumps([statement(b * BATCH + i, (b * BATCH + i) % 50) for i in range(BATCH)]).encode()
        for b in range(args.batches + args.warmup)
    ]
    json_headers = VERSION | {"Content-Type": "application/json"}
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory(prefix="coursehost-bench-") as tmp:
        root = Path(tmp)
        data = root / "data"
        data.mkdir()
        url = args.database_url or f"sqlite:///{data / 'coursehost.db'}"
        reset(url)
        database = Database(url)
        with database.session() as session:
            app = create_application(session, "bench")
        database.dispose()
        auth = {"Authorization": basic_auth(app.app_id, app.secret_key)}

        bare, bare_base = start_bare(root)
        server, base = start_coursehost(coursehost_env(data, url), root)
        try:
            lrs = f"{base}/lrs/{app.app_id}/"
            posts = [("POST", "statements", body) for body in bodies]
            warm, _ = posts[: args.warmup], posts[args.warmup :]
            for target in (lrs, bare_base + "/"):
                asyncio.run(run_load(target, warm, json_headers | auth, args.concurrency))
            results: dict[str, tuple[float, int]] = {}
            for name, target in (("bare ASGI", bare_base + "/"), ("coursehost", lrs)):
                measured = posts[args.warmup :]
                results[name] = asyncio.run(run_load(target, measured, json_headers | auth, args.concurrency))
            total = (args.batches + args.warmup) * BATCH
            pages = page_paths(lrs, VERSION | auth, total)
            gets = [("GET", path, None) for path in pages]
            reads: dict[str, tuple[float, int]] = {}
            for name, target in (("bare ASGI", bare_base + "/"), ("coursehost", lrs)):
                reads[name] = asyncio.run(run_load(target, gets, VERSION | auth, args.concurrency))
        finally:
            stop_process(server)
            stop_process(bare)

    statements_posted = args.batches * BATCH
    for kind, table, count in (("POST 100", results, args.batches), ("GET page of 100", reads, len(pages))):
        bare_rate = count / table["bare ASGI"][0]
        for name in ("bare ASGI", "coursehost"):
            seconds, errors = table[name]
            rate = count / seconds
            rows.append([f"{name} {kind}", str(count), str(errors), f"{seconds:.2f}", f"{rate:,.0f}",
                         f"{rate * BATCH:,.0f}", f"{rate / bare_rate:.3f}"])  # fmt: skip
    print(f"database: {'PostgreSQL' if url.startswith('postgresql') else 'SQLite'}; {statements_posted:,} statements")
    print_table(["run", "requests", "errors", "seconds", "req/s", "statements/s", "ratio to bare"], rows)


if __name__ == "__main__":
    main()
