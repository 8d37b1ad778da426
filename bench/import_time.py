"""Import time of a large package: coursehost's upload-and-import against plain ``unzip`` of the same file.

Generates a ~50 MB SCORM 1.2 package of 2,000 incompressible files spread over folders (plus a valid
imsmanifest.xml whose one SCO launches a file that exists), one for each run with bytes of its own (blobs are
content addressed: importing the same bytes again writes nothing, and would measure only that), then measures, best
of 3 each, one after the other for each package:

* ``unzip -q`` of the package into a fresh temporary directory (the baseline);
* uploading it to a running ``coursehost serve`` (loopback; SQLite, or PostgreSQL with ``--database-url``, which is
  dropped and created first) under a new course id and polling GetImportJobStatus until it is COMPLETE.

With ``--profile OUT.prof`` the server runs under cProfile in every thread (bench/_profiled.py): the script writes the
merged statistics there and prints the functions with the most time of their own. Profiling slows Python code down
several times, so the times of such a run are not comparable with others; read the shares.

    .venv/bin/python bench/import_time.py [--files 2000] [--megabytes 50] [--runs 3] [--database-url URL]
        [--profile import.prof]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _profiled  # noqa: E402
from _common import (  # noqa: E402
    basic_auth,
    code_under_test,
    coursehost_env,
    machine_load,
    print_table,
    start_coursehost,
    stop_process,
)
from _fixtures import reset_database  # noqa: E402

IMPORT_TIMEOUT = 600.0
POLL_SECONDS = 0.05

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="bench" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>Import benchmark</title>
      <item identifier="item_1" identifierref="res_1"><title>Lesson</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res_1" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>
"""


def build_package(path: Path, files: int, total_bytes: int) -> int:
    """Write the package; returns its size in bytes."""
    size = max(1, total_bytes // files)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("imsmanifest.xml", MANIFEST)
        zf.writestr("index.html", "<html><body>Import benchmark</body></html>")
        for n in range(files):
            zf.writestr(f"assets/d{n % 40:02d}/sub{n % 7}/file{n:05d}.bin", os.urandom(size))
    return path.stat().st_size


def time_unzip(package: Path, scratch: Path) -> float:
    target = scratch / "unzipped"
    began = time.perf_counter()
    subprocess.run(["unzip", "-q", str(package), "-d", str(target)], check=True, timeout=IMPORT_TIMEOUT)
    elapsed = time.perf_counter() - began
    shutil.rmtree(target)
    return elapsed


def time_import(client: httpx.Client, api: str, package: Path, course_id: str) -> float:
    began = time.perf_counter()
    with package.open("rb") as handle:
        response = client.post(
            f"{api}/courses/importJobs/upload",
            params={"courseId": course_id},
            files={"file": (package.name, handle, "application/zip")},
        )
    response.raise_for_status()
    job_id = response.json()["result"]
    deadline = began + IMPORT_TIMEOUT
    while True:
        status = client.get(f"{api}/courses/importJobs/{job_id}")
        status.raise_for_status()
        body = status.json()
        if body["status"] == "COMPLETE":
            return time.perf_counter() - began
        if body["status"] != "RUNNING":
            raise RuntimeError(f"import ended in {body['status']}: {body.get('message')}")
        if time.perf_counter() > deadline:
            raise RuntimeError(f"import still RUNNING after {IMPORT_TIMEOUT} s")
        time.sleep(POLL_SECONDS)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default="", help="PostgreSQL, dropped and created first (default SQLite)")
    parser.add_argument("--profile", default="", metavar="OUT.prof", help="profile the server into this file")
    args = parser.parse_args()
    load_before = machine_load()
    print(code_under_test(), flush=True)
    if shutil.which("unzip") is None:
        raise SystemExit("this benchmark needs the unzip command")

    with tempfile.TemporaryDirectory(prefix="coursehost-bench-") as tmp:
        root = Path(tmp)
        packages = [root / f"bench-package-{n}.zip" for n in range(args.runs)]
        began = time.perf_counter()
        size = max(build_package(package, args.files, args.megabytes * 1024 * 1024) for package in packages)
        took = time.perf_counter() - began
        print(f"Built {args.runs} packages of {size / 1024**2:.1f} MB, {args.files + 2} files, in {took:.1f} s")

        url = args.database_url or f"sqlite:///{root / 'data' / 'coursehost.db'}"
        reset_database(url)
        env = coursehost_env(root / "data", url)
        profile = str(Path(args.profile).resolve()) if args.profile else ""
        server, base = start_coursehost(env, root, launcher=_profiled.launcher(profile) if profile else None)
        try:
            app_id, secret = create_app(env, root)
            headers = {"Authorization": basic_auth(app_id, secret), "Accept": "application/json"}
            with httpx.Client(headers=headers, timeout=httpx.Timeout(IMPORT_TIMEOUT, connect=10.0)) as client:
                # Interleaved, so both see the same machine (other work on it swings unzip's time too).
                unzip_times: list[float] = []
                import_times: list[float] = []
                for n, package in enumerate(packages):
                    unzip_times.append(time_unzip(package, root))
                    import_times.append(time_import(client, f"{base}/api/v2", package, f"bench-import-{n}"))
        finally:
            stop_process(server)

    best_unzip, best_import = min(unzip_times), min(import_times)
    rows = [
        ["unzip -q (baseline)", f"{best_unzip:.2f}", " ".join(f"{t:.2f}" for t in unzip_times)],
        ["coursehost upload + import", f"{best_import:.2f}", " ".join(f"{t:.2f}" for t in import_times)],
    ]
    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"\n{database}; {load_before} (start), {machine_load()} (end)")
    print_table(["operation", "best s", f"all {args.runs} runs (s)"], rows)
    print(
        f"\nratio coursehost / unzip: {best_import / best_unzip:.2f}x"
        + (" (PROFILED: not comparable)" if profile else "")
    )
    if profile:
        _profiled.report(profile, r"coursehost/(imports|content|storage|kit)/")


if __name__ == "__main__":
    main()
