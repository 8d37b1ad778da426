"""`make test`: lint, type-check, then the whole suite on SQLite and, when PostgreSQL answers, again on it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import psycopg

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


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


def main() -> None:
    py = sys.executable
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
