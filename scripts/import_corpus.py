"""Import every package in a folder through the API and print what became of each.

    python scripts/import_corpus.py FOLDER [--url http://127.0.0.1:8000/api/v2 --app-id ID --secret KEY]
                                           [--expect FOLDER/index.jsonl]

Without --url it starts a throwaway `coursehost serve` on a free port with its own data directory. With --expect
(an index.jsonl whose lines carry "file" and "standard", INVALID for packages that must be refused), it also says
whether each outcome is the expected one and exits non-zero if any is not.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

TYPES = {".zip": "application/zip", ".xml": "text/xml", ".pdf": "application/pdf", ".mp3": "audio/mpeg"}
TYPES |= {".mp4": "video/mp4"}


def count_activities(node: dict[str, Any] | None) -> int:
    if not node:
        return 0
    children = node.get("children", [])
    return (0 if children else 1) + sum(count_activities(child) for child in children)


@contextmanager
def throwaway_server() -> Iterator[tuple[str, tuple[str, str]]]:
    with tempfile.TemporaryDirectory() as tmp:
        env = os.environ | {"COURSEHOST_DATA_DIR": tmp, "COURSEHOST_DATABASE_URL": ""}
        made = subprocess.run(
            [sys.executable, "-m", "coursehost", "apps", "create", "corpus", "--json"],
            env=env,
            check=True,
            capture_output=True,
        )
        creds = json.loads(made.stdout)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        proc = subprocess.Popen(
            [sys.executable, "-m", "coursehost", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}/api/v2"
        try:
            for _ in range(300):
                try:
                    httpx.get(f"{url}/openapi.json", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            yield url, (creds["appId"], creds["secretKey"])
        finally:
            proc.terminate()
            proc.wait(30)


def import_one(client: httpx.Client, path: Path, course_id: str) -> dict[str, Any]:
    content_type = TYPES.get(path.suffix.lower(), "application/octet-stream")
    with path.open("rb") as handle:
        response = client.post(
            "/courses/importJobs/upload",
            params={"courseId": course_id},
            headers={"uploadedContentType": content_type},
            files={"file": (path.name, handle, content_type)},
        )
    if response.status_code != 200:
        return {"status": f"HTTP {response.status_code}", "message": response.json().get("message", "")}
    job_id = response.json()["result"]
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/courses/importJobs/{job_id}").json()
        if job["status"] != "RUNNING":
            return job
        time.sleep(0.1)
    return {"status": "TIMEOUT", "message": "still running after 300 s"}


def summarise(path: Path, job: dict[str, Any], expected: dict[str, Any] | None) -> dict[str, Any]:
    course = (job.get("importResult") or {}).get("course") or {}
    warnings = (job.get("importResult") or {}).get("parserWarnings") or []
    standard = course.get("courseLearningStandard", "")
    row = {
        "file": path.name,
        "status": job["status"],
        "standard": standard,
        "title": course.get("title", ""),
        "activities": count_activities(course.get("rootActivity")) if course else "",
        "detail": job.get("message", "") if job["status"] != "COMPLETE" else "; ".join(warnings),
    }
    if expected is not None:
        want = expected.get("standard")
        if want == "INVALID":
            row["ok"] = job["status"] != "COMPLETE"
        else:
            row["ok"] = job["status"] == "COMPLETE" and standard == want
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--url")
    parser.add_argument("--app-id")
    parser.add_argument("--secret")
    parser.add_argument("--expect", type=Path)
    parser.add_argument("--json", action="store_true", help="print rows as JSON lines instead of a table")
    args = parser.parse_args()
    expectations: dict[str, dict[str, Any]] = {}
    if args.expect:
        for line in args.expect.read_text().splitlines():
            if line.strip():
                entry = json.loads(line)
                expectations[entry["file"]] = entry
    files = sorted(p for p in args.folder.iterdir() if p.is_file() and p.name != "index.jsonl")
    if args.url:
        server = contextmanager(lambda: iter([(args.url, (args.app_id, args.secret))]))()
    else:
        server = throwaway_server()
    rows = []
    with server as (url, auth), httpx.Client(base_url=url, auth=auth, timeout=120) as client:
        for n, path in enumerate(files):
            expected = expectations.get(path.name) if args.expect else None
            rows.append(summarise(path, import_one(client, path, f"corpus-{n}-{path.stem}"), expected))
    print_rows(rows, args.json)
    return 1 if any(row.get("ok") is False for row in rows) else 0


def print_rows(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("file", "status", "standard", "title", "acts", "warnings / error", "ok", show_lines=False)
    for row in rows:
        ok = {True: "yes", False: "NO"}.get(row.get("ok"), "")  # type: ignore[call-overload]
        table.add_row(
            row["file"], row["status"], row["standard"], row["title"][:40], str(row["activities"]),
            row["detail"][:160], ok,
        )  # fmt: skip
    Console(width=250).print(table)
    complete = sum(row["status"] == "COMPLETE" for row in rows)
    print(f"{len(rows)} packages: {complete} imported, {len(rows) - complete} refused", end="")
    if any("ok" in row for row in rows):
        good = sum(row.get("ok") is True for row in rows)
        print(f"; {good} as expected, {sum(row.get('ok') is False for row in rows)} not")
    else:
        print()


if __name__ == "__main__":
    sys.exit(main())
