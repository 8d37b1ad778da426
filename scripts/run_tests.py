"""`make test`: lint, type-check, then the whole suite on SQLite and, when PostgreSQL answers, again on it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
JS_E2E = Path(__file__).resolve().parent.parent / "tests" / "e2e" / "js"


def pg_url() -> str | None:
    url = os.environ.get("COURSEHOST_TEST_DATABASE_URL", DEFAULT_PG)
    try:
        psycopg.connect(url.replace("+psycopg", ""), connect_timeout=3).close()
    except psycopg.Error as exc:
        print(f"PostgreSQL is not reachable at {url} ({exc.__class__.__name__}); running on SQLite only.")
        return None
    return url


def run(args: list[str], env: dict[str, str] | None = None) -> None:
    print("+", " ".join(args), flush=True)
    code = subprocess.call(args, env=env)
    if code != 0:
        sys.exit(code)


def install_js_client() -> None:
    """``npm ci`` the JavaScript client the e2e suite drives (tests/e2e/test_js_client.py) when node_modules is
    missing or older than the lock file. Without npm the suite skips those tests loudly, or fails them in CI."""
    installed = JS_E2E / "node_modules" / ".package-lock.json"
    lock = JS_E2E / "package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    npm = shutil.which("npm")
    if npm is None:
        print("npm is not installed; the JavaScript client e2e tests will be skipped (apt-get install nodejs npm).")
        return
    print("+ npm ci (tests/e2e/js)", flush=True)
    code = subprocess.call([npm, "ci", "--no-audit", "--no-fund"], cwd=JS_E2E)
    if code != 0:
        sys.exit(code)


def main() -> None:
    py = sys.executable
    install_js_client()
    if shutil.which("node"):
        run(["node", "--test", "tests/js/"])
    else:
        print("Node.js is not installed; the player run-time tests (node --test tests/js/) were not run.")
    run([py, "-m", "ruff", "format", "--check", "src", "tests", "bench", "scripts"])
    run([py, "-m", "ruff", "check", "src", "tests", "bench", "scripts"])
    run([py, "-m", "mypy"])
    base = {k: v for k, v in os.environ.items() if k != "COURSEHOST_TEST_DATABASE_URL"}
    print("== test suite on SQLite ==", flush=True)
    run([py, "-m", "pytest", *sys.argv[1:]], env=base)
    url = pg_url()
    if url:
        print("== test suite on PostgreSQL ==", flush=True)
        run([py, "-m", "pytest", *sys.argv[1:]], env=base | {"COURSEHOST_TEST_DATABASE_URL": url})


if __name__ == "__main__":
    main()
