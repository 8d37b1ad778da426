"""Course content cannot act on the API with a login the administrator's browser holds (docs/security.md).

In Chromium, an administrator has used the API with the application's key and secret, and the browser sends them
with every request to the API's origin (tests/e2e/hostile_content.py). A hostile package, opened at its
``webPathToCourse`` and inside the preview player, then tries to read and change a victim course. Nothing may
succeed: no API answer is readable, and the victim, its tags and its configuration are as they were. Content still
finds its SCORM run-time API. test_content_origin.py does the same with content on an origin of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import rustici_software_cloud_v2 as sc

from tests.e2e.conftest import Credentials, LocalHttp, Server
from tests.e2e.hostile_content import Victim, admin_context, import_hostile, open_in_player, preview_link, run_attack


def test_content_at_its_web_path_cannot_use_the_admins_login(
    browser: Any, server: Server, creds: Credentials, api: sc.CourseApi, tmp_path: Path, local_http: LocalHttp
) -> None:
    victim = Victim(api, tmp_path)
    job = import_hostile(api, tmp_path, server, victim, local_http)
    context = admin_context(browser, server, creds)
    try:
        page = context.new_page()
        page.goto(job.import_result.web_path_to_course + "attack.html")
        victim.assert_untouched(run_attack(page.main_frame))
    finally:
        context.close()


def test_content_in_the_preview_player_cannot_use_the_admins_login(
    browser: Any, server: Server, creds: Credentials, api: sc.CourseApi, tmp_path: Path, local_http: LocalHttp
) -> None:
    victim = Victim(api, tmp_path)
    job = import_hostile(api, tmp_path, server, victim, local_http)
    context = admin_context(browser, server, creds)
    try:
        page = context.new_page()
        sco = open_in_player(page, preview_link(api, job.import_result.course.id))
        # The content policy leaves the SCORM run-time API where content looks for it.
        assert sco.evaluate("window.sco.api12.LMSInitialize('')") == "true"
        victim.assert_untouched(run_attack(sco))
    finally:
        context.close()
