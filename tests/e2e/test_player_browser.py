"""The preview player in a real headless Chromium: launch links built by the official client, SCOs that find the
run-time API by the standard discovery algorithm, commits, navigation, suspend/resume, AICC HACP, media, and the
pages an expired or tampered link shows.

Chromium comes from Debian (`apt-get install chromium`), driven by Playwright for Python (the package only; no
browser download). Without Chromium the module is skipped with a loud reason on a developer's machine and fails in CI
(CI=true), where .ci/run installs it.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import rustici_software_cloud_v2 as sc

from coursehost.kit import tokens
from tests.e2e.conftest import LocalHttp, Served, Server, Store, import_course, unique_id
from tests.integration.player.packages import aicc_course, nested_scorm12_course, scorm12_course, scorm2004_course

TIMEOUT_MS = 15_000


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="module")
def exit_url(local_http: LocalHttp) -> str:
    local_http.files["/exited.html"] = Served(b"<html><body><h1>Back at the LMS</h1></body></html>", "text/html")
    return f"{local_http.base_url}/exited.html"


def preview(api: sc.CourseApi, course_id: str, **fields: Any) -> str:
    link: str = api.build_course_preview_launch_link(course_id, sc.PreviewLaunchLinkRequestSchema(**fields)).launch_link
    return link


def wait_for_content(page: Any, suffix: str) -> Any:
    """The content frame once it shows ``suffix`` and has finished loading."""
    page.wait_for_function(
        """suffix => {
            const frame = document.getElementById('ch-content');
            try {
                return frame.contentWindow.location.pathname.endsWith(suffix)
                    && frame.contentDocument.readyState === 'complete';
            } catch (e) { return false; }
        }""",
        arg=suffix,
    )
    frame = page.frame(name="ch-content")
    assert frame is not None
    return frame


def wait_acknowledged(page: Any, count: int) -> None:
    page.wait_for_function("n => window.CoursehostPlayer.stats.acknowledged >= n", arg=count)


def status_class(page: Any, identifier: str) -> str:
    value: str = page.get_attribute(f'li[data-identifier="{identifier}"]', "class")
    return value


def test_scorm12_two_scos_commit_navigate_and_exit(page: Any, api: sc.CourseApi, tmp_path: Path, exit_url: str) -> None:
    course_id = unique_id("p12")
    import_course(api, tmp_path, course_id, scorm12_course())
    page.goto(preview(api, course_id, redirect_on_exit_url=exit_url))
    assert page.inner_text("#ch-course-title") == "Player 1.2"
    sco = wait_for_content(page, "/content/sco1.html")
    assert sco.evaluate("window.sco.api12 !== null && window.sco.api2004 === null")
    assert sco.evaluate("window.sco.api12.LMSInitialize('')") == "true"
    assert sco.evaluate("window.sco.api12.LMSGetValue('cmi.core.student_id')") == "coursehost-preview"
    assert sco.evaluate("window.sco.api12.LMSGetValue('cmi.core.entry')") == "ab-initio"
    assert sco.evaluate("window.sco.api12.LMSSetValue('cmi.core.lesson_location', 'page-3')") == "true"
    assert sco.evaluate("window.sco.api12.LMSSetValue('cmi.core.lesson_status', 'completed')") == "true"
    assert sco.evaluate("window.sco.api12.LMSCommit('')") == "true"
    wait_acknowledged(page, 1)
    stored = page.evaluate("fetch('runtime/1').then(r => r.json())")
    assert stored["cmi"]["core"]["lesson_location"] == "page-3"
    assert "ch-status-completed" in status_class(page, "i1")
    # LMSFinish after a normal exit goes on to the next SCO (PlayerIntermediateSco*NormalExitAction).
    assert sco.evaluate("window.sco.api12.LMSFinish('')") == "true"
    sco = wait_for_content(page, "/content/sco2.html")
    assert "ch-current" in status_class(page, "i2")
    assert sco.evaluate("window.sco.api12.LMSInitialize('')") == "true"
    assert sco.evaluate("window.sco.api12.LMSSetValue('cmi.core.lesson_status', 'passed')") == "true"
    player_url = page.url
    # The last SCO's finish exits the course to redirectOnExitUrl, and the preview's data is gone with it.
    sco.evaluate("window.sco.api12.LMSFinish('')")
    page.wait_for_url(exit_url)
    assert "Back at the LMS" in page.inner_text("h1")
    assert httpx.get(player_url).status_code in (403, 410)


def test_scorm2004_navigation_requests_and_suspend_resume(
    page: Any, api: sc.CourseApi, tmp_path: Path, exit_url: str
) -> None:
    course_id = unique_id("p2004")
    import_course(api, tmp_path, course_id, scorm2004_course())
    page.goto(preview(api, course_id, redirect_on_exit_url=exit_url))
    sco = wait_for_content(page, "/content/sco1.html")
    run = "window.sco.api2004."
    assert sco.evaluate(run + "Initialize('')") == "true"
    assert sco.evaluate(run + "GetValue('cmi.entry')") == "ab-initio"
    assert sco.evaluate(run + "GetValue('cmi.launch_data')") == "launch-data-1"
    assert sco.evaluate(run + "GetValue('cmi.completion_threshold')") == "0.75"
    assert sco.evaluate(run + "GetValue('cmi.objectives._count')") == "2"
    assert sco.evaluate(run + "GetValue('adl.nav.request_valid.continue')") == "true"
    assert sco.evaluate(run + "GetValue('adl.nav.request_valid.previous')") == "false"
    assert sco.evaluate(run + "GetValue('adl.nav.request_valid.choice.{target=i3}')") == "true"
    # adl.data: lesson 1 maps a shared store it may write; lesson 2 below reads what it wrote.
    assert sco.evaluate(run + "GetValue('adl.data._count')") == "1"
    assert sco.evaluate(run + "GetValue('adl.data.0.id')") == "com.example.notes"
    assert sco.evaluate(run + "SetValue('adl.data.0.store', 'shared note')") == "true"
    for element, value in (("cmi.location", "slide-7"), ("cmi.suspend_data", "abc"), ("cmi.exit", "suspend")):
        assert sco.evaluate(f"{run}SetValue('{element}', '{value}')") == "true"
    assert sco.evaluate(run + "SetValue('adl.nav.request', 'continue')") == "true"
    assert sco.evaluate(run + "Terminate('')") == "true"

    sco = wait_for_content(page, "/content/sco2.html")
    assert sco.evaluate(run + "Initialize('')") == "true"
    assert sco.evaluate(run + "GetValue('adl.data.0.store')") == "shared note"
    assert sco.evaluate(run + "SetValue('adl.data.0.store', 'overwritten')") == "false"
    assert sco.evaluate(run + "GetLastError()") == "404"
    assert sco.evaluate(run + "SetValue('adl.nav.request', '{target=i1}choice')") == "true"
    assert sco.evaluate(run + "Terminate('')") == "true"

    # Back in the first SCO within the same preview: it resumes where it suspended.
    sco = wait_for_content(page, "/content/sco1.html")
    assert sco.evaluate(run + "Initialize('')") == "true"
    assert sco.evaluate(run + "GetValue('cmi.entry')") == "resume"
    assert sco.evaluate(run + "GetValue('cmi.suspend_data')") == "abc"
    assert sco.evaluate(run + "GetValue('cmi.location')") == "slide-7"
    # completionThreshold 0.75 (from the manifest) makes the progress measure decide completion.
    assert sco.evaluate(run + "SetValue('cmi.progress_measure', '0.8')") == "true"
    assert sco.evaluate(run + "GetValue('cmi.completion_status')") == "completed"
    assert sco.evaluate(run + "Commit('')") == "true"

    # The learner's Next button, with the SCO still running: the player unloads it and keeps what it committed.
    page.click("#ch-next")
    sco = wait_for_content(page, "/content/sco2.html")
    assert "ch-status-completed" in status_class(page, "i1")
    page.click("#ch-next")
    sco = wait_for_content(page, "/content/sco3.html")
    assert page.is_disabled("#ch-next") is False  # continuing past the last SCO ends the course
    assert sco.evaluate(run + "Initialize('')") == "true"
    assert sco.evaluate(run + "SetValue('adl.nav.request', 'exitAll')") == "true"
    assert sco.evaluate(run + "Terminate('')") == "true"
    page.wait_for_url(exit_url)


def test_parent_items_with_content_play_in_flow_order(page: Any, api: sc.CourseApi, tmp_path: Path) -> None:
    # Each parent item's own page comes before its children, and the outline offers every page.
    course_id = unique_id("pnested")
    import_course(api, tmp_path, course_id, nested_scorm12_course())
    page.goto(preview(api, course_id))
    sco = wait_for_content(page, "/content/p.html")
    assert page.locator("#ch-outline-list button").all_inner_texts() == [
        "Parent",
        "Child one",
        "Grandchild",
        "Child two",
    ]
    assert sco.evaluate("window.sco.api12.LMSInitialize('')") == "true"
    assert sco.evaluate("window.sco.api12.LMSSetValue('cmi.core.lesson_status', 'completed')") == "true"
    assert sco.evaluate("window.sco.api12.LMSCommit('')") == "true"
    wait_acknowledged(page, 1)
    assert "ch-status-completed" in status_class(page, "P")
    for expected in ("c1.html", "g.html", "c2.html"):
        page.click("#ch-next")
        wait_for_content(page, f"/content/{expected}")
    page.click("#ch-prev")
    wait_for_content(page, "/content/g.html")
    page.click('li[data-identifier="C1"] > button')
    wait_for_content(page, "/content/c1.html")
    assert "ch-current" in status_class(page, "C1")
    # A navigation target naming the parent item opens its own page.
    page.evaluate("window.CoursehostPlayer.choose('P')")
    wait_for_content(page, "/content/p.html")
    assert "ch-current" in status_class(page, "P")


def test_scorm2004_without_flow_starts_at_the_outline(page: Any, api: sc.CourseApi, tmp_path: Path) -> None:
    course_id = unique_id("pchoice")
    import_course(api, tmp_path, course_id, scorm2004_course(count=2, flow=False))
    page.goto(preview(api, course_id, culture="fr"))
    assert page.inner_text("#ch-message") == "Choisissez une leçon dans le plan du cours pour commencer."
    assert page.is_disabled("#ch-next")
    page.click('li[data-identifier="i2"] button')
    sco = wait_for_content(page, "/content/sco2.html")
    assert sco.evaluate("window.sco.api2004.Initialize('')") == "true"
    assert sco.evaluate("window.sco.api2004.GetValue('adl.nav.request_valid.continue')") == "false"
    assert page.is_disabled("#ch-prev")


def test_start_sco_and_css_url(page: Any, api: sc.CourseApi, tmp_path: Path, local_http: LocalHttp) -> None:
    course_id = unique_id("pstart")
    import_course(api, tmp_path, course_id, scorm12_course(count=3))
    local_http.files["/theme.css"] = Served(b".ch-titlebar { background: rgb(1, 2, 3); }", "text/css")
    page.goto(preview(api, course_id, start_sco="i3", css_url=f"{local_http.base_url}/theme.css"))
    wait_for_content(page, "/content/sco3.html")
    assert page.evaluate("getComputedStyle(document.querySelector('.ch-titlebar')).backgroundColor") == "rgb(1, 2, 3)"


def test_aicc_hacp_and_exit_au(page: Any, api: sc.CourseApi, tmp_path: Path, exit_url: str) -> None:
    course_id = unique_id("paicc")
    import_course(api, tmp_path, course_id, aicc_course())
    page.goto(preview(api, course_id, redirect_on_exit_url=exit_url))
    au = wait_for_content(page, "/content/au1.html")
    first = au.evaluate("window.au.send('GetParam')")
    assert first.startswith("error=0")
    assert "Lesson_Status=not attempted,ab-initio" in first
    assert "Mastery_Score=80" in first
    data = "\\r\\n".join(["[Core]", "Lesson_Location=p2", "Lesson_Status=c", "Score=90", "Time=00:01:30"])
    assert au.evaluate(f"window.au.send('PutParam', '{data}')").startswith("error=0")
    assert "Lesson_Location=p2" in au.evaluate("window.au.send('GetParam')")
    assert au.evaluate("window.au.send('PutInteractions', 'a,b')").startswith("error=0")
    assert au.evaluate("window.au.send('ExitAU')").startswith("error=0")
    # The player notices ExitAU and goes on to the next AU.
    au = wait_for_content(page, "/content/au2.html")
    page.wait_for_function("() => document.querySelector('li[data-identifier=\"A1\"]').className.includes('completed')")
    assert au.evaluate("window.au.send('ExitAU')").startswith("error=0")
    page.wait_for_url(exit_url)


def test_media_course_plays_in_the_page(page: Any, api: sc.CourseApi, server: Server, tmp_path: Path) -> None:
    course_id = unique_id("pmedia")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    path = tmp_path / "guide.pdf"
    path.write_bytes(pdf)
    job = api.create_upload_and_import_course_job(course_id, file=str(path), uploaded_content_type="application/pdf")
    deadline = time.monotonic() + 30
    while api.get_import_job_status(job.result).status == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.1)
    page.goto(preview(api, course_id))
    media = wait_for_content(page, "/media/1")
    assert media.get_attribute("#ch-media", "data") == "../content/guide.pdf"
    # A PDF counts as completed once shown.
    page.wait_for_function("() => window.CoursehostPlayer.status(1) === 'completed'")
    served = page.evaluate("fetch('content/guide.pdf').then(r => r.arrayBuffer()).then(b => b.byteLength)")
    assert served == len(pdf)


def _resigned(link: str, secret: str, **changes: Any) -> str:
    base, token = link.rsplit("/", 1)
    body = token.split(".", 1)[0]
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return f"{base}/{tokens.sign(secret.encode(), 'player-launch', payload | changes)}"


def test_expired_and_tampered_links_show_a_page(page: Any, api: sc.CourseApi, store: Store, tmp_path: Path) -> None:
    course_id = unique_id("plink")
    import_course(api, tmp_path, course_id, scorm12_course(count=1))
    link = preview(api, course_id)
    expired = _resigned(link, store.env["COURSEHOST_SECRET_KEY"], exp=int(time.time()) - 1)
    response = page.goto(expired)
    assert response.status == 410
    assert page.inner_text("#ch-message-title") == "This launch link has expired"
    tampered = link[:-2] + ("AA" if not link.endswith("AA") else "BB")
    response = page.goto(tampered)
    assert response.status == 403
    assert page.inner_text("#ch-message-title") == "This launch link is not valid"
    assert "Traceback" not in page.content()


def configure(server: Server, creds: Any, course_id: str, **values: str) -> None:
    body = {"settings": [{"settingId": key, "value": value} for key, value in values.items()]}
    response = httpx.post(
        f"{server.base_url}/api/v2/courses/{course_id}/configuration",
        json=body,
        auth=(creds.app_id, creds.secret_key),
        timeout=10,
    )
    assert response.status_code == 204, response.text


def test_sco_in_a_new_window_finds_the_api_through_its_opener(
    page: Any, api: sc.CourseApi, server: Server, creds: Any, tmp_path: Path, exit_url: str
) -> None:
    course_id = unique_id("pwin")
    import_course(api, tmp_path, course_id, scorm12_course())
    configure(server, creds, course_id, PlayerScoLaunchType="NEW_WINDOW")
    with page.context.expect_page() as opened:
        page.goto(preview(api, course_id, redirect_on_exit_url=exit_url))
    sco = opened.value
    sco.wait_for_load_state()
    assert sco.url.endswith("/content/sco1.html")
    assert page.inner_text("#ch-message").startswith("The lesson is open in another window.")
    assert sco.evaluate("window.sco.api12.LMSInitialize('')") == "true"
    assert sco.evaluate("window.sco.api12.LMSSetValue('cmi.core.lesson_status', 'completed')") == "true"
    assert sco.evaluate("window.sco.api12.LMSFinish('')") == "true"
    # The same window shows the next SCO.
    sco.wait_for_url("**/content/sco2.html")
    sco.wait_for_function("() => window.sco && window.sco.api12 !== null")
    assert "ch-status-completed" in status_class(page, "i1")
    with sco.expect_event("close"):
        page.click("#ch-exit")
    page.wait_for_url(exit_url)


def test_player_in_a_new_window(page: Any, api: sc.CourseApi, server: Server, creds: Any, tmp_path: Path) -> None:
    course_id = unique_id("plaunch")
    import_course(api, tmp_path, course_id, scorm12_course(count=1))
    configure(server, creds, course_id, PlayerLaunchType="NEW_WINDOW", RedirectOnExitUrl="message")
    with page.context.expect_page() as opened:
        page.goto(preview(api, course_id))
    assert page.inner_text("#ch-launcher-text") == "The course is open in another window."
    player = opened.value
    sco = wait_for_content(player, "/content/sco1.html")
    assert sco.evaluate("window.sco.api12.LMSInitialize('')") == "true"
    # The player window closes and the launching page shows where the exit leads (here: the message page).
    with player.expect_event("close"):
        player.click("#ch-exit")
    page.wait_for_url("**/player/exited?lang=en")
    assert page.inner_text("#ch-message-title") == "Course exited"


def test_shared_data_outlives_a_reload_of_the_player(page: Any, api: sc.CourseApi, tmp_path: Path) -> None:
    course_id = unique_id("pshared")
    import_course(api, tmp_path, course_id, scorm2004_course(count=2))
    page.goto(preview(api, course_id))
    run = "window.sco.api2004."
    sco = wait_for_content(page, "/content/sco1.html")
    assert sco.evaluate(run + "Initialize('')") == "true"
    assert sco.evaluate(run + "SetValue('adl.data.0.store', 'kept across a reload')") == "true"
    assert sco.evaluate(run + "Commit('')") == "true"
    wait_acknowledged(page, 1)

    # The page is rebuilt from what the server holds for the session; the store comes back from lesson 1's data.
    page.reload()
    page.click('li[data-identifier="i2"] button')
    sco = wait_for_content(page, "/content/sco2.html")
    assert sco.evaluate(run + "Initialize('')") == "true"
    assert sco.evaluate(run + "GetValue('adl.data.0.store')") == "kept across a reload"


def test_preview_of_an_older_version(page: Any, api: sc.CourseApi, tmp_path: Path) -> None:
    course_id = unique_id("pversion")
    import_course(api, tmp_path, course_id, scorm12_course(title="First edition", count=1))
    import_course(
        api, tmp_path, course_id, scorm12_course(title="Second edition", count=2), may_create_new_version=True
    )
    request = sc.PreviewLaunchLinkRequestSchema(expiry=60)
    link = api.build_course_preview_launch_link_with_version(course_id, 0, request).launch_link
    page.goto(link)
    # Version 0 plays its own manifest: its title and its single lesson.
    wait_for_content(page, "/content/sco1.html")
    assert page.inner_text("#ch-course-title") == "First edition"
    assert page.locator('li[data-identifier="i2"]').count() == 0
    page.goto(preview(api, course_id))
    wait_for_content(page, "/content/sco1.html")
    assert page.inner_text("#ch-course-title") == "Second edition"
    assert page.locator('li[data-identifier="i2"]').count() == 1
    missing = sc.PreviewLaunchLinkRequestSchema()
    with pytest.raises(sc.rest.ApiException) as caught:
        api.build_course_preview_launch_link_with_version(course_id, 7, missing)
    assert caught.value.status == 404
