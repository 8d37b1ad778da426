"""Preview player: time from opening a launch link to the first SCO's load event, and run-time API throughput.

Starts ``coursehost serve`` (SQLite, loopback) with a fresh application, imports a two-SCO SCORM 1.2 course and a
two-SCO SCORM 2004 course, then drives Debian's Chromium (headless, through Playwright for Python) and measures:

* launch: for each run a new launch link (buildCoursePreviewLaunchLink) opened in a fresh browser context, from
  ``page.goto`` until the SCO's own ``load`` event (the link's redirect, the player page, its scripts, the content
  frame and the SCO file all included); median, p95 and best;
* SetValue: LMSSetValue / SetValue calls per second inside the SCO (the run-time alone, no network);
* Commit: LMSCommit / Commit calls per second as the SCO sees them (each hands a snapshot to the player, which
  posts it), and the rate at which the server acknowledged those snapshots (wall time until the last one answered).

    .venv/bin/python bench/player_launch.py [--runs 20] [--sets 20000] [--commits 300]

Needs Chromium at /usr/bin/chromium (``apt-get install chromium``) and the playwright package (dev extras).
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import basic_auth, coursehost_env, print_table, start_coursehost, stop_process  # noqa: E402
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

SCO = b"""<!doctype html><html><head><meta charset="utf-8"><title>SCO</title><script>
function find(win, name) {
  for (var n = 0; win && !win[name] && win.parent && win.parent !== win && n < 10; n += 1) win = win.parent;
  return win && win[name] ? win[name] : null;
}
window.sco = { api12: find(window, "API"), api2004: find(window, "API_1484_11"), loadedAt: null };
window.addEventListener("load", function () { window.sco.loadedAt = Date.now(); });
</script></head><body><h1>SCO</h1></body></html>"""
MANIFEST_12 = (
    '<?xml version="1.0"?><manifest identifier="m" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"'
    ' xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"><metadata><schema>ADL SCORM</schema>'
    '<schemaversion>1.2</schemaversion></metadata><organizations default="o"><organization identifier="o">'
    "<title>Bench 1.2</title>{items}</organization></organizations><resources>{resources}</resources></manifest>"
)
MANIFEST_2004 = (
    '<?xml version="1.0"?><manifest identifier="m" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"'
    ' xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">'
    "<metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>"
    '<organizations default="o"><organization identifier="o"><title>Bench 2004</title>{items}'
    '<imsss:sequencing><imsss:controlMode flow="true"/></imsss:sequencing></organization></organizations>'
    "<resources>{resources}</resources></manifest>"
)
STANDARDS = {
    "SCORM 1.2": (MANIFEST_12, "adlcp:scormtype", "api12", "LMSSetValue", "LMSCommit", "cmi.core.lesson_location"),
    "SCORM 2004": (MANIFEST_2004, "adlcp:scormType", "api2004", "SetValue", "Commit", "cmi.location"),
}
THROUGHPUT = """([api, setter, committer, element, sets, commits]) => {
  const run = window.sco[api];
  run[api === "api12" ? "LMSInitialize" : "Initialize"]("");
  let began = performance.now();
  for (let i = 0; i < sets; i += 1) run[setter](element, "location-" + i);
  const setMs = performance.now() - began;
  began = performance.now();
  for (let i = 0; i < commits; i += 1) {
    run[setter](element, "commit-" + i);
    run[committer]("");
  }
  return { setMs, commitMs: performance.now() - began };
}"""


def package(standard: str) -> bytes:
    manifest, type_attr, *_ = STANDARDS[standard]
    items = "".join(f'<item identifier="i{n}" identifierref="r{n}"><title>SCO {n}</title></item>' for n in (1, 2))
    resources = "".join(
        f'<resource identifier="r{n}" type="webcontent" {type_attr}="sco" href="sco{n}.html">'
        f'<file href="sco{n}.html"/></resource>'
        for n in (1, 2)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("imsmanifest.xml", manifest.format(items=items, resources=resources))
        for n in (1, 2):
            zf.writestr(f"sco{n}.html", SCO)
    return buffer.getvalue()


def create_app(env: dict[str, str], cwd: Path) -> tuple[str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "coursehost", "apps", "create", "bench", "--json"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    created = json.loads(result.stdout)
    return created["appId"], created["secretKey"]


def import_course(client: httpx.Client, api: str, course_id: str, data: bytes) -> None:
    response = client.post(
        f"{api}/courses/importJobs/upload",
        params={"courseId": course_id},
        files={"file": ("course.zip", data, "application/zip")},
    )
    response.raise_for_status()
    job = response.json()["result"]
    deadline = time.monotonic() + 60
    while (status := client.get(f"{api}/courses/importJobs/{job}").json()["status"]) == "RUNNING":
        if time.monotonic() > deadline:
            raise RuntimeError("import did not finish")
        time.sleep(0.05)
    if status != "COMPLETE":
        raise RuntimeError(f"import ended in {status}")


def launch_link(client: httpx.Client, api: str, course_id: str) -> str:
    response = client.post(f"{api}/courses/{course_id}/preview", json={"expiry": 300})
    response.raise_for_status()
    link: str = response.json()["launchLink"]
    return link


def time_launch(browser: Any, link: str) -> tuple[float, float]:
    """(in the browser: from the launch link's navigation start, wall clock: from page.goto), both to SCO load."""
    context = browser.new_context()
    try:
        page = context.new_page()
        began = time.time() * 1000
        page.goto(link)
        page.wait_for_function(
            "() => { try { const s = document.getElementById('ch-content').contentWindow.sco;"
            " return !!(s && s.loadedAt); } catch (e) { return false; } }"
        )
        loaded: float = page.frame(name="ch-content").evaluate("window.sco.loadedAt")
        # The player page's time origin is the start of the navigation to the launch link (its redirect included).
        origin: float = page.evaluate("performance.timeOrigin")
        return loaded - origin, loaded - began
    finally:
        context.close()


def throughput(browser: Any, link: str, standard: str, sets: int, commits: int) -> dict[str, float]:
    _manifest, _type, api, setter, committer, element = STANDARDS[standard]
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(link)
        page.wait_for_function(
            "() => { try { const s = document.getElementById('ch-content').contentWindow.sco;"
            " return !!(s && s.loadedAt); } catch (e) { return false; } }"
        )
        frame = page.frame(name="ch-content")
        node = page.evaluate("window.CoursehostPlayer.current()")
        timing = frame.evaluate(THROUGHPUT, [api, setter, committer, element, sets, commits])
        began = time.perf_counter()
        # Every Commit makes a snapshot; the player keeps one delivery in flight and sends only the newest waiting.
        page.wait_for_function(
            "([node, n]) => window.CoursehostPlayer.delivered(node) >= n", arg=[node, commits], timeout=120_000
        )
        drained = time.perf_counter() - began
        stats = page.evaluate("window.CoursehostPlayer.stats")
        if stats["failed"]:
            raise RuntimeError(f"{stats['failed']} deliveries failed")
        return {
            "set": sets / (timing["setMs"] / 1000),
            "commit": commits / (timing["commitMs"] / 1000),
            "posts": stats["acknowledged"],
            "drain_ms": drained * 1000,
        }
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--sets", type=int, default=20_000)
    parser.add_argument("--commits", type=int, default=300)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"this benchmark needs Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="coursehost-bench-") as tmp:
        root = Path(tmp)
        env = coursehost_env(root / "data")
        server, base = start_coursehost(env, root)
        try:
            app_id, secret = create_app(env, root)
            api = f"{base}/api/v2"
            headers = {"Authorization": basic_auth(app_id, secret), "Accept": "application/json"}
            with httpx.Client(headers=headers, timeout=60) as client, sync_playwright() as playwright:
                for n, standard in enumerate(STANDARDS):
                    import_course(client, api, f"bench-{n}", package(standard))
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    time_launch(browser, launch_link(client, api, "bench-0"))  # warm-up: first-load costs
                    launches = [time_launch(browser, launch_link(client, api, "bench-0")) for _ in range(args.runs)]
                    rates = {
                        standard: throughput(
                            browser, launch_link(client, api, f"bench-{n}"), standard, args.sets, args.commits
                        )
                        for n, standard in enumerate(STANDARDS)
                    }
                finally:
                    browser.close()
        finally:
            stop_process(server)

    print(f"Launch link -> first SCO load event ({args.runs} runs, SCORM 1.2, fresh browser context each)")
    rows = []
    for label, values in (
        ("from navigation start (in the browser)", sorted(b for b, _w in launches)),
        ("from page.goto (wall clock, with automation)", sorted(w for _b, w in launches)),
    ):
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        rows.append([label, f"{statistics.median(values):.0f}", f"{p95:.0f}", f"{values[0]:.0f}"])
    print_table(["measured", "median ms", "p95 ms", "best ms"], rows)
    print()
    print(f"Run-time API throughput ({args.sets} SetValue calls, then {args.commits} SetValue+Commit pairs)")
    print_table(
        ["standard", "SetValue/s", "Commit/s", "server posts", "last commit stored after (ms)"],
        [
            [s, f"{r['set']:,.0f}", f"{r['commit']:,.0f}", f"{r['posts']:.0f}", f"{r['drain_ms']:.0f}"]
            for s, r in rates.items()
        ],
    )
    print("\nCommit/s is what the SCO sees (the run-time and the hand-off to the player). The player posts one")
    print("snapshot per activity at a time and coalesces the rest, so 'server posts' is how many reached the server.")


if __name__ == "__main__":
    main()
