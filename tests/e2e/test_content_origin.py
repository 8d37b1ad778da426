"""Course content and the player on an origin of their own (``COURSEHOST_CONTENT_URL``; docs/security.md).

The module's server keeps the API at ``http://127.0.0.1:PORT`` and serves content and the player at
``http://localhost:PORT``: another origin (another host name) for the same process. Links point at the content
origin, each origin serves only its half, and a hostile package, at its web path and in the player, gets nothing
from the API with the administrator's login in the browser, while its SCORM run-time API still works.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import rustici_software_cloud_v2 as sc

from tests.e2e.conftest import UPLOAD_LIMIT, Credentials, LocalHttp, Server, Store, start_server, stop_server
from tests.e2e.hostile_content import Victim, admin_context, import_hostile, open_in_player, preview_link, run_attack


@pytest.fixture(scope="module")
def server(store: Store) -> Iterator[Server]:
    running = start_server(store, "split", content_url="http://localhost:{port}", max_upload_bytes=str(UPLOAD_LIMIT))
    yield running
    stop_server(running)


def test_content_on_its_own_origin(
    browser: Any,
    server: Server,
    creds: Credentials,
    api: sc.CourseApi,
    tmp_path: Path,
    local_http: LocalHttp,
) -> None:
    content_origin = f"http://localhost:{server.port}"
    victim = Victim(api, tmp_path)
    job = import_hostile(api, tmp_path, server, victim, local_http)
    web_path = job.import_result.web_path_to_course
    link = preview_link(api, job.import_result.course.id)
    assert web_path.startswith(content_origin + "/content/courses/")
    assert link.startswith(content_origin + "/player/launch/")
    # Each origin serves its own half: no API on the content origin, no content on the API's.
    on_content = httpx.get(f"{content_origin}/api/v2/courses", auth=(creds.app_id, creds.secret_key))
    assert on_content.status_code == 404
    path = web_path.removeprefix(content_origin) + "attack.html"
    moved = httpx.get(server.base_url + path)
    assert moved.status_code == 308
    assert moved.headers["location"] == content_origin + path
    context = admin_context(browser, server, creds)
    try:
        page = context.new_page()
        page.goto(web_path + "attack.html")
        victim.assert_untouched(run_attack(page.main_frame))
        sco = open_in_player(page, link)
        assert sco.evaluate("window.sco.api12.LMSInitialize('')") == "true"
        victim.assert_untouched(run_attack(sco))
    finally:
        context.close()
