"""Preview every cmi5 and xAPI package of a folder in headless Chromium and report the statements each produced.

    python -m scripts.lrs_corpus FOLDER [--expect FOLDER/index.jsonl] [--wait 10] [--json]

Starts a throwaway `coursehost serve` (see scripts/import_corpus.py), imports each package whose standard is CMI5 or
XAPI (with --expect: as index.jsonl says; without: every file that imports as one), opens a preview link in a fresh
browser context, waits, and then reads the course's statements back through getCourseStatements. Nothing is clicked:
the statements are those the LMS records (cmi5: satisfied at registration, launched) and those the content sends by
itself on load (cmi5 AUs: initialized; Tin Can content: whatever it reports when it starts). "content" counts the
statements whose authority is a launch credential, i.e. that the content itself posted to the LRS.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import httpx

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.import_corpus import import_one, throwaway_server
from scripts.player_corpus import load_expectations
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

STANDARDS = ("CMI5", "XAPI")


def pick_files(folder: Path, expectations: dict[str, dict[str, Any]]) -> list[Path]:
    if expectations:
        names = [name for name, entry in expectations.items() if entry.get("standard") in STANDARDS]
        return sorted(folder / name for name in names if (folder / name).is_file())
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in (".zip", ".xml"))


def play(browser: Any, link: str, wait_s: float) -> list[str]:
    context = browser.new_context()
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error).splitlines()[0][:120]))
        page.goto(link, wait_until="domcontentloaded")
        page.wait_for_timeout(int(wait_s * 1000))
    finally:
        context.close()
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--expect", type=Path, help="index.jsonl naming each file's standard")
    parser.add_argument("--wait", type=float, default=10.0, help="seconds to let each preview run")
    parser.add_argument("--json", action="store_true", help="print rows as JSON lines instead of a table")
    args = parser.parse_args()
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        print(f"no Chromium at {CHROMIUM}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    expectations = load_expectations(args.expect)
    rows: list[dict[str, Any]] = []
    with (
        throwaway_server() as (url, auth),
        httpx.Client(base_url=url, auth=auth, timeout=120) as client,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for n, path in enumerate(pick_files(args.folder, expectations)):
                rows.append(run_one(client, browser, path, f"lrs-{n}", args.wait, bool(expectations)))
        finally:
            browser.close()
    rows = [row for row in rows if row]
    print_rows(rows, args.json)
    return 0


def run_one(
    client: httpx.Client, browser: Any, path: Path, course_id: str, wait: float, listed: bool
) -> dict[str, Any]:
    row: dict[str, Any] = {"file": path.name, "standard": "", "previewed": False, "verbs": [], "content": 0}
    row["detail"] = ""
    job = import_one(client, path, course_id)
    course = (job.get("importResult") or {}).get("course") or {}
    row["standard"] = course.get("courseLearningStandard", "")
    if job.get("status") != "COMPLETE":
        row["detail"] = f"import {job.get('status')}: {job.get('message', '')[:100]}"
        return row
    if row["standard"] not in STANDARDS:
        return row if listed else {}
    response = client.post(f"/courses/{course_id}/preview", json={"expiry": 300})
    if response.status_code != 200:
        row["detail"] = f"preview link: HTTP {response.status_code} {response.text[:100]}"
        return row
    row["previewed"] = True
    try:
        errors = play(browser, response.json()["launchLink"], wait)
    except Exception as error:  # noqa: BLE001 - one package's browser failure must not stop the run
        row["detail"] = f"browser: {str(error).splitlines()[0][:120]}"
        return row
    statements = client.get(f"/courses/{course_id}/xAPIStatements").json()["statements"]
    row["verbs"] = [s["verb"]["id"].rsplit("/", 1)[-1] for s in statements]
    row["content"] = sum(s.get("authority", {}).get("account", {}).get("name") == "launch" for s in statements)
    row["detail"] = f"page error: {errors[0]}" if errors else ""
    return row


def print_rows(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table("file", "standard", "previewed", "statements (verbs)", "from content", "detail")
        for row in rows:
            verbs = ", ".join(row["verbs"])[:90]
            table.add_row(row["file"], row["standard"], "yes" if row["previewed"] else "no", verbs,
                          str(row["content"]), row["detail"][:100])  # fmt: skip
        Console(width=250).print(table)
    previewed = sum(row["previewed"] for row in rows)
    reported = sum(bool(row["verbs"]) for row in rows)
    content = sum(row["content"] > 0 for row in rows)
    print(
        f"{len(rows)} packages: {previewed} previewed, {reported} with statements in getCourseStatements, "
        f"{content} with statements the content itself sent"
    )


if __name__ == "__main__":
    raise SystemExit(main())
