"""The README's promise: ``coursehost serve`` on a fresh machine migrates an empty SQLite database under ./data and
prints credentials that work with the official client. (The other e2e modules start from a migrated copy.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import rustici_software_cloud_v2 as sc

from tests.e2e.conftest import SERVER_START_TIMEOUT, free_port


def test_serve_migrates_an_empty_folder_and_prints_working_credentials(tmp_path: Path) -> None:
    port = free_port()
    # No database URL, data directory or secret: the defaults a user of `make serve` gets, relative to the cwd.
    env = {k: v for k, v in os.environ.items() if not k.startswith("COURSEHOST_")}
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "coursehost", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env | {"NO_COLOR": "1", "COLUMNS": "200"},
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not re.search(r"secretKey:\s+\S+", log_path.read_text(errors="replace")):
            assert process.poll() is None, log_path.read_text(errors="replace")
            assert time.monotonic() < deadline, log_path.read_text(errors="replace")
            time.sleep(0.1)
        printed = log_path.read_text(errors="replace")
        app_id = re.search(r"appId:\s+(\S+)", printed)
        secret = re.search(r"secretKey:\s+(\S+)", printed)
        assert app_id, printed
        assert secret, printed
        assert (tmp_path / "data" / "coursehost.db").is_file()
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/v2/openapi.json", timeout=1.0)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, log_path.read_text(errors="replace")
                time.sleep(0.1)

        config = sc.Configuration()
        config.host = f"http://127.0.0.1:{port}/api/v2/"
        config.username = app_id.group(1)
        config.password = secret.group(1)
        api = sc.CourseApi(sc.ApiClient(config))
        try:
            assert api.get_courses().courses == []
        finally:
            api.api_client.rest_client.pool_manager.clear()
    finally:
        process.terminate()
        process.wait(timeout=20)
