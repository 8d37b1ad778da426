"""Resident memory of one ``coursehost serve`` process under repeated large requests: does it stay flat?

Each round sends the largest requests the caps allow and a few they refuse, then imports a package whose manifest has
50,000 items:

* putCourseTags with 100 tags of 128 four-byte characters on each of 20 courses, and putCourseTagsBatch with 1,000
  ids and 100 such tags;
* setCourseTitle with 500 four-byte characters on each course;
* refused: 50,000 tags in one request, a 10,000-tag batch, a 1 MB title (each a 400 before anything is stored);
* createUploadAndImportCourseJob of the 50,000-item package (a new version of one course, the previous version then
  deleted), followed by getCourse with its metadata and getCourses.

The first round warms the process up (caches, connection pool, arenas); the script prints the server's RSS (VmRSS
from /proc) before it and after every round, and the growth from the end of the warm-up to the end of the last round.

    .venv/bin/python bench/memory_rss.py [--rounds 10] [--items 50000] [--no-import] [--database-url URL]
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import basic_auth, coursehost_env, print_table, start_coursehost, stop_process  # noqa: E402
from import_time import create_app  # noqa: E402

WIDE = "\U0001d11e"  # four bytes in UTF-8
COURSES = 20
IMPORT_TIMEOUT = 600.0
NS = 'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"'


def big_manifest_package(items: int) -> bytes:
    entries = "".join(
        f'<item identifier="i{n}" identifierref="r"><title>Lesson {n} {"x" * 40}</title></item>' for n in range(items)
    )
    manifest = (
        f'<?xml version="1.0" encoding="UTF-8"?><manifest identifier="m" version="1" {NS}>'
        "<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>"
        f'<organizations default="o"><organization identifier="o"><title>{"T" * 200_000}</title>{entries}'
        '</organization></organizations><resources><resource identifier="r" type="webcontent" '
        'adlcp:scormtype="sco" href="index.html"><file href="index.html"/></resource></resources></manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("imsmanifest.xml", manifest)
        zf.writestr("index.html", "<html><body>memory bench</body></html>")
    return buffer.getvalue()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def import_package(client: httpx.Client, course_id: str, package: bytes, new_version: bool) -> dict[str, object]:
    params = {"courseId": course_id} | ({"mayCreateNewVersion": "true"} if new_version else {})
    response = client.post("/courses/importJobs/upload", params=params, files={"file": ("p.zip", package)})
    response.raise_for_status()
    job_id = response.json()["result"]
    deadline = time.monotonic() + IMPORT_TIMEOUT
    while time.monotonic() < deadline:
        body: dict[str, object] = client.get(f"/courses/importJobs/{job_id}").json()
        if body["status"] != "RUNNING":
            if body["status"] != "COMPLETE":
                raise RuntimeError(f"import ended in {body['status']}: {body.get('message')}")
            return body
        time.sleep(0.1)
    raise RuntimeError("import did not finish")


def expect(response: httpx.Response, status: int) -> None:
    if response.status_code != status:
        raise RuntimeError(f"{response.request.method} {response.request.url}: {response.status_code} {response.text}")


def one_round(client: httpx.Client, package: bytes | None, number: int) -> None:
    if package is not None:
        job = import_package(client, "big", package, new_version=True)
        version = job["importResult"]["course"]["version"]  # type: ignore[index]
        expect(client.get("/courses/big", params={"includeCourseMetadata": "true"}), 200)
        expect(client.delete(f"/courses/big/versions/{int(version) - 1}"), 204)
    tags = [f"{i:03d}" + WIDE * 125 for i in range(100)]
    for n in range(COURSES):
        expect(client.request("DELETE", f"/courses/c{n}/tags", json={"tags": tags}), 204)
        expect(client.put(f"/courses/c{n}/tags", json={"tags": tags}), 204)
        expect(client.put(f"/courses/c{n}/title", json={"title": (f"{number} " + WIDE * 500)[:500]}), 204)
    ids = [f"c{n % COURSES}" for n in range(1000)]
    expect(client.put("/courses/tags", json={"ids": ids, "tags": tags}), 204)
    expect(client.put("/courses/c0/tags", json={"tags": [str(i) for i in range(50_000)]}), 400)
    expect(client.put("/courses/tags", json={"ids": ["c0"], "tags": [str(i) for i in range(10_000)]}), 400)
    expect(client.put("/courses/c0/title", json={"title": "x" * 1_000_000}), 400)
    expect(client.get("/courses", params={"includeCourseMetadata": "true"}), 200)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--database-url", default="", help="default: SQLite in the temporary data directory")
    parser.add_argument("--no-import", action="store_true", help="leave out the large import (to tell causes apart)")
    args = parser.parse_args()
    package = big_manifest_package(args.items)
    print(f"Package: {len(package) / 1024:.0f} KB zipped, {args.items} items, a 200,000-character title")

    with tempfile.TemporaryDirectory(prefix="coursehost-bench-") as tmp:
        root = Path(tmp)
        env = coursehost_env(root / "data", args.database_url, import_workers="1")
        subprocess.run([sys.executable, "-m", "coursehost", "db", "upgrade"], env=env, cwd=root, check=True)
        app_id, secret = create_app(env, root)
        server, base = start_coursehost(env, root)
        try:
            headers = {"Authorization": basic_auth(app_id, secret)}
            timeout = httpx.Timeout(IMPORT_TIMEOUT, connect=10.0)
            with httpx.Client(base_url=f"{base}/api/v2", headers=headers, timeout=timeout) as client:
                small = big_manifest_package(1)
                for n in range(COURSES):
                    import_package(client, f"c{n}", small, new_version=False)
                import_package(client, "big", small, new_version=False)
                rows = [["before round 1", f"{rss_mb(server.pid):.1f}", ""]]
                for number in range(1, args.rounds + 1):
                    began = time.perf_counter()
                    one_round(client, None if args.no_import else package, number)
                    took = time.perf_counter() - began
                    rows.append([f"after round {number}", f"{rss_mb(server.pid):.1f}", f"{took:.1f}"])
        finally:
            stop_process(server)

    print()
    print_table(["when", "RSS MB", "round s"], rows)
    values = [float(row[1]) for row in rows[1:]]
    half = len(values) // 2
    print(f"\ngrowth after the warm-up round: {values[-1] - values[0]:+.1f} MB over {len(values) - 1} rounds")
    print(f"growth over the last {len(values) - half} rounds: {values[-1] - values[half - 1]:+.1f} MB")


if __name__ == "__main__":
    main()
