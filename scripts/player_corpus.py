"""Play every SCORM package of a folder in the preview player (headless Chromium) and report which reach Initialize.

    python -m scripts.player_corpus FOLDER [--expect FOLDER/index.jsonl] [--wait 15] [--total 1200] [--json]

Starts a throwaway `coursehost serve` (see scripts/import_corpus.py), imports each SCORM package (with --expect: the
files whose "standard" starts with SCORM; without it: every .zip that imports as SCORM), builds a preview link and
opens it in a fresh browser context. An init script on the player page wraps the run-time API objects the player puts
on window.API / window.API_1484_11 and records every call the SCO makes, with the error code the API holds after it.
Nothing is clicked and no call is made on the SCO's behalf: a SCO that only initialises after a user action, or has no
script at all, is reported as "no Initialize".
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import httpx

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.import_corpus import import_one, throwaway_server
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

# Runs in every frame before its own scripts; only the player page (the top window) is instrumented.
HOOK = r"""
(() => {
  if (window.top !== window) return;
  const calls = [];
  window.__chCalls = calls;
  const ERRORS = new Set(["LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic",
                          "GetLastError", "GetErrorString", "GetDiagnostic"]);
  function wrap(api) {
    if (!api || api.__chWrapped) return api;
    const lastError = typeof api.LMSGetLastError === "function" ? "LMSGetLastError" : "GetLastError";
    const original = {};
    for (const name of Object.keys(api)) {
      if (typeof api[name] !== "function") continue;
      original[name] = api[name];
      api[name] = function (...args) {
        const result = original[name].apply(api, args);
        const call = { name, args: args.map(String), result: String(result) };
        if (!ERRORS.has(name) && original[lastError]) call.error = String(original[lastError].call(api));
        if (calls.length < 500) calls.push(call);
        return result;
      };
    }
    Object.defineProperty(api, "__chWrapped", { value: true, enumerable: false });
    return api;
  }
  for (const key of ["API", "API_1484_11"]) {
    let value;
    Object.defineProperty(window, key, {
      configurable: true,
      get() { return value; },
      set(v) { value = wrap(v); },
    });
  }
})();
"""

# What the player page knows: the content frame's location, the recorded calls and the runtime's error log.
PROBE = r"""
() => {
  const frame = document.getElementById("ch-content");
  let content = "";
  let ready = false;
  try {
    content = frame ? frame.contentWindow.location.pathname : "";
    ready = frame ? frame.contentDocument.readyState === "complete" : false;
  } catch (e) { content = "(cross-origin)"; }
  const player = window.CoursehostPlayer;
  const message = document.getElementById("ch-message");
  return {
    content, ready,
    calls: window.__chCalls || [],
    logs: player ? player.logs.filter(l => l.level === "error").map(l => l.message) : [],
    message: message ? message.innerText.trim() : "",
    hasPlayer: !!player,
  };
}
"""

INIT = {"Initialize", "LMSInitialize"}


def load_expectations(path: Path | None) -> dict[str, dict[str, Any]]:
    expectations: dict[str, dict[str, Any]] = {}
    if path:
        for line in path.read_text().splitlines():
            if line.strip():
                entry = json.loads(line)
                expectations[entry["file"]] = entry
    return expectations


def pick_files(folder: Path, expectations: dict[str, dict[str, Any]]) -> list[Path]:
    if expectations:
        names = [name for name, entry in expectations.items() if str(entry.get("standard", "")).startswith("SCORM")]
        return sorted(folder / name for name in names if (folder / name).is_file())
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".zip")


def verdict(calls: list[dict[str, Any]], logs: list[str]) -> tuple[bool, str]:
    """(initialized, api error text) from the recorded calls: errors count from the first Initialize on."""
    start = next((i for i, call in enumerate(calls) if call["name"] in INIT), None)
    if start is None:
        return False, ""
    init = calls[start]
    problems: list[str] = []
    if init["result"] != "true" or init.get("error", "0") != "0":
        problems.append(f"{init['name']} -> {init['result']} (error {init.get('error')})")
    for call in calls[start + 1 :]:
        if call.get("error", "0") not in ("0", "") and not benign(call):
            problems.append(f"{call['name']}({', '.join(call['args'])[:60]}) -> error {call['error']}")
    problems += [f"runtime log: {message[:120]}" for message in logs]
    summary = "; ".join(problems[:3]) + (f" (+{len(problems) - 3} more)" if len(problems) > 3 else "")
    return True, summary


def benign(call: dict[str, Any]) -> bool:
    """SCORM 2004 GetValue of an element that has no value yet: 403 is what the RTE requires, not a failure."""
    return call["name"] == "GetValue" and call.get("error") == "403"


def benign_notes(calls: list[dict[str, Any]]) -> str:
    reads = sorted({call["args"][0] for call in calls if call.get("error") and benign(call) and call["args"]})
    return f"403 (not initialized) reads: {', '.join(reads)[:100]}" if reads else ""


def play(browser: Any, link: str, wait_s: float) -> dict[str, Any]:
    context = browser.new_context()
    context.set_default_timeout(int(wait_s * 1000))
    page_errors: list[str] = []
    popups: list[Any] = []
    try:
        context.add_init_script(HOOK)
        context.on("page", lambda opened: popups.append(opened))
        page = context.new_page()
        page.on("pageerror", lambda error: page_errors.append(str(error).splitlines()[0][:120]))
        page.goto(link, wait_until="domcontentloaded")
        deadline = time.monotonic() + wait_s
        state: dict[str, Any] = {}
        settle: float | None = None
        while time.monotonic() < deadline:
            state = page.evaluate(PROBE)
            if settle is None and any(call["name"] in INIT for call in state["calls"]):
                settle = time.monotonic() + 2  # keep watching briefly for errors right after Initialize
                deadline = min(deadline + 2, settle)
            page.wait_for_timeout(250)
        state = page.evaluate(PROBE)
        launched = "/content/" in state["content"] or len(popups) > 1
        return state | {"launched": launched, "page_errors": page_errors}
    finally:
        context.close()


def describe_no_init(state: dict[str, Any]) -> str:
    if not state.get("hasPlayer"):
        return "player page did not start"
    if not state.get("launched"):
        return f"nothing launched; page says: {state.get('message', '')[:100]}"
    names = sorted({call["name"] for call in state.get("calls", [])})
    parts = [f"content {state['content'].partition('/content/')[2] or state['content']}"]
    parts.append(f"other API calls: {', '.join(names)}" if names else "no API call at all")
    if state.get("page_errors"):
        parts.append(f"page error: {state['page_errors'][0]}")
    return "; ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--expect", type=Path, help="index.jsonl naming each file's standard")
    parser.add_argument("--wait", type=float, default=15.0, help="seconds to wait for Initialize per package")
    parser.add_argument("--total", type=float, default=1200.0, help="overall time budget in seconds")
    parser.add_argument("--json", action="store_true", help="print rows as JSON lines instead of a table")
    args = parser.parse_args()
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        print(f"no Chromium at {CHROMIUM}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    expectations = load_expectations(args.expect)
    files = pick_files(args.folder, expectations)
    budget_end = time.monotonic() + args.total
    rows: list[dict[str, Any]] = []
    with (
        throwaway_server() as (url, auth),
        httpx.Client(base_url=url, auth=auth, timeout=120) as client,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for n, path in enumerate(files):
                row: dict[str, Any] = {"file": path.name, "standard": "", "launched": False, "initialized": False}
                row |= {"api_error": "", "detail": ""}
                rows.append(row)
                if time.monotonic() > budget_end:
                    row["detail"] = "skipped: total time budget spent"
                    continue
                job = import_one(client, path, f"play-{n}")
                course = (job.get("importResult") or {}).get("course") or {}
                row["standard"] = course.get("courseLearningStandard", "")
                if job.get("status") != "COMPLETE":
                    row["detail"] = f"import {job.get('status')}: {job.get('message', '')[:100]}"
                    continue
                if not row["standard"].startswith("SCORM"):
                    if not expectations:
                        rows.pop()  # not a SCORM package: out of scope
                    else:
                        row["detail"] = "imported as a non-SCORM standard"
                    continue
                response = client.post(f"/courses/play-{n}/preview", json={"expiry": 300})
                if response.status_code != 200:
                    row["detail"] = f"preview link: HTTP {response.status_code} {response.text[:100]}"
                    continue
                try:
                    state = play(browser, response.json()["launchLink"], args.wait)
                except Exception as error:  # noqa: BLE001 - one package's browser failure must not stop the run
                    row["detail"] = f"browser: {str(error).splitlines()[0][:120]}"
                    continue
                row["launched"] = state["launched"]
                row["initialized"], row["api_error"] = verdict(state["calls"], state["logs"])
                if not row["initialized"]:
                    row["detail"] = describe_no_init(state)
                else:
                    notes = [benign_notes(state["calls"])]
                    notes += [f"page error: {error}" for error in state["page_errors"][:1]]
                    row["detail"] = "; ".join(note for note in notes if note)
        finally:
            browser.close()
    print_rows(rows, args.json)
    return 0


def print_rows(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table("file", "standard", "launched", "initialized", "api error", "detail")
        for row in rows:
            yes = {True: "yes", False: "no"}
            table.add_row(
                row["file"], row["standard"], yes[row["launched"]], yes[row["initialized"]],
                row["api_error"][:120], row["detail"][:140],
            )  # fmt: skip
        Console(width=250).print(table)
    launched = sum(row["launched"] for row in rows)
    clean = sum(row["initialized"] and not row["api_error"] for row in rows)
    print(f"{len(rows)} SCORM packages: {launched} launched, {clean} reached Initialize without an API error")


if __name__ == "__main__":
    sys.exit(main())
