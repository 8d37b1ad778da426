"""A course whose page attacks the API with whatever the learner's browser holds (docs/security.md, "Course content
cannot attack the API").

The SCO finds the run-time API the standard way (so a test can check content still works) and, on load, tries to
read and change a victim course through every route a page has: fetch and XHR with and without CORS, simple
requests a browser sends without asking (no-cors), a form posted into a frame, the API framed, and the API opened in
a window it then tries to read. ``window.attack`` resolves to one record per attempt.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import rustici_software_cloud_v2 as sc

from tests.e2e.conftest import Credentials, LocalHttp, Server, expect_api_error, import_course, unique_id
from tests.integration.player.packages import SCO_SCRIPT
from tests.support.packages import Sco, ScormPackage

TIMEOUT_MS = 15_000

ATTACK_SCRIPT = """
window.attack = (async function () {
  var api = API_BASE, victim = encodeURIComponent(VICTIM), out = {};
  function wait(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  async function tryFetch(name, path, init) {
    try {
      var response = await fetch(api + path, init || {});
      var text = "";
      try { text = await response.text(); } catch (e) { text = ""; }
      out[name] = { status: response.status, type: response.type, body: text.slice(0, 300) };
    } catch (e) { out[name] = { error: String(e) }; }
  }
  function tryXhr(name, method, path, body) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, api + path);
      xhr.withCredentials = true;
      if (body) xhr.setRequestHeader("Content-Type", "application/json");
      xhr.onloadend = function () {
        out[name] = { status: xhr.status, body: String(xhr.responseText || "").slice(0, 300) };
        resolve();
      };
      xhr.send(body || null);
    });
  }
  var json = { "Content-Type": "application/json" };
  var rename = JSON.stringify({ title: "pwned" });
  await tryFetch("list", "/courses");
  await tryFetch("listWithCredentials", "/courses", { credentials: "include" });
  await tryFetch("getVictim", "/courses/" + victim, { credentials: "include" });
  await tryFetch("appConfiguration", "/appManagement/configuration", { credentials: "include" });
  await tryFetch("rename", "/courses/" + victim + "/title",
                 { method: "PUT", headers: json, body: rename, credentials: "include" });
  await tryFetch("addTags", "/courses/" + victim + "/tags",
                 { method: "PUT", headers: json, body: JSON.stringify({ tags: ["pwned"] }), credentials: "include" });
  await tryFetch("setConfiguration", "/courses/" + victim + "/configuration", {
    method: "POST", headers: json, credentials: "include",
    body: JSON.stringify({ settings: [{ settingId: "PlayerLaunchType", value: "NEW_WINDOW" }] }) });
  await tryFetch("delete", "/courses/" + victim, { method: "DELETE", credentials: "include" });
  // Simple requests: the browser sends them without a preflight and only hides the answer.
  await tryFetch("noCorsConfiguration", "/courses/" + victim + "/configuration", {
    method: "POST", mode: "no-cors", credentials: "include", headers: { "Content-Type": "text/plain" },
    body: JSON.stringify({ settings: [{ settingId: "PlayerLaunchType", value: "NEW_WINDOW" }] }) });
  await tryFetch("noCorsImport", "/courses/importJobs?courseId=" + victim + "-planted", {
    method: "POST", mode: "no-cors", credentials: "include", headers: { "Content-Type": "text/plain" },
    body: JSON.stringify({ url: PLANTED_URL }) });
  await tryXhr("xhrList", "GET", "/courses");
  await tryXhr("xhrRename", "PUT", "/courses/" + victim + "/title", rename);
  // A form posted into a hidden frame: a navigation, not a fetch.
  var sink = document.createElement("iframe");
  sink.name = "sink"; sink.style.display = "none"; document.body.appendChild(sink);
  var form = document.createElement("form");
  form.method = "POST"; form.enctype = "text/plain"; form.target = "sink";
  form.action = api + "/courses/" + victim + "/configuration";
  var field = document.createElement("input");
  field.name = '{"settings":[{"settingId":"PlayerLaunchType","value":"NEW_WINDOW","x":"';
  field.value = '"}]}';
  form.appendChild(field); document.body.appendChild(form); form.submit();
  await wait(1000);
  // The API framed, then read.
  var frame = document.createElement("iframe");
  frame.src = api + "/courses";
  document.body.appendChild(frame);
  await wait(1000);
  try { out.framed = { body: String(frame.contentDocument.body.innerText).slice(0, 300) }; }
  catch (e) { out.framed = { error: String(e) }; }
  // The API in a window of its own, then read.
  var opened = window.open(api + "/courses", "_blank");
  await wait(1000);
  try { out.popup = { opened: !!opened, body: String(opened.document.body.innerText).slice(0, 300) }; }
  catch (e) { out.popup = { opened: !!opened, error: String(e) }; }
  try { if (opened) opened.close(); } catch (e) { /* nothing to close */ }
  return out;
})();
"""


def hostile_page(api_base: str, victim: str, planted_url: str) -> bytes:
    constants = (
        f"var API_BASE = {json.dumps(api_base)}; var VICTIM = {json.dumps(victim)};"
        f"var PLANTED_URL = {json.dumps(planted_url)};"
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Hostile</title>"
        f"<script>{SCO_SCRIPT}</script></head><body><h1>Hostile</h1>"
        f"<script>{constants}{ATTACK_SCRIPT}</script></body></html>"
    ).encode()


def hostile_course(api_base: str, victim: str, planted_url: str) -> bytes:
    """``planted_url`` serves a valid package, so an import the attack managed to start would create a course."""
    page = hostile_page(api_base, victim, planted_url)
    return ScormPackage(title="Hostile", scos=[Sco("i1", "Hostile", "attack.html", page)]).to_bytes()


def admin_context(browser: Any, server: Server, creds: Credentials) -> Any:
    """A browser that holds the administrator's API login and sends it with every request to the API's origin.

    Two ways a browser comes to hold it: the administrator answered a login prompt (``http_credentials``: the
    browser keeps what was typed and sends it again whenever the origin asks), and the worst case, a browser that
    sends it with every request to the API's origin unasked (the header added to each one on its way out).
    """
    login = {"username": creds.app_id, "password": creds.secret_key, "origin": server.base_url}
    context = browser.new_context(http_credentials=login)
    context.set_default_timeout(TIMEOUT_MS)
    basic = "Basic " + base64.b64encode(f"{creds.app_id}:{creds.secret_key}".encode()).decode()

    def with_login(route: Any) -> None:
        route.continue_(headers=route.request.all_headers() | {"authorization": basic})

    context.route(f"{server.base_url}/api/**", with_login)
    # The precondition: the login works for the administrator's own, typed navigation.
    tab = context.new_page()
    response = tab.goto(f"{server.base_url}/api/v2/courses")
    assert response is not None
    assert response.status == 200, response.text()
    tab.close()
    return context


class Victim:
    def __init__(self, api: sc.CourseApi, tmp_path: Path) -> None:
        self.api = api
        self.course_id = unique_id("victim")
        import_course(api, tmp_path, self.course_id, ScormPackage(title="Victim course"), tags=["kept"])
        self.before = self.state()

    def state(self) -> dict[str, Any]:
        course = self.api.get_course(self.course_id)
        configuration = self.api.get_course_configuration(self.course_id)
        explicit = {s.id: s.explicit_value for s in configuration.setting_items if s.explicit_value is not None}
        return {"title": course.title, "tags": sorted(self.api.get_course_tags(self.course_id).tags), "set": explicit}

    def assert_untouched(self, results: dict[str, Any]) -> None:
        for name, record in results.items():
            status = record.get("status")
            assert status is None or not 200 <= status < 300, f"{name} succeeded: {record}"
            body = str(record.get("body", ""))
            assert self.course_id not in body, f"{name} read the API: {record}"
            assert "Victim course" not in body, f"{name} read the API: {record}"
        assert self.state() == self.before
        # A planted import would have become a course within moments; the job was never accepted.
        time.sleep(1.0)
        expect_api_error(404, lambda: self.api.get_course(f"{self.course_id}-planted"))


def run_attack(frame: Any) -> dict[str, Any]:
    results: dict[str, Any] = frame.evaluate("window.attack")
    return results


def open_in_player(page: Any, launch_link: str) -> Any:
    page.goto(launch_link)
    page.wait_for_function(
        """() => {
            const frame = document.getElementById('ch-content');
            try {
                return frame.contentWindow.location.pathname.endsWith('/attack.html')
                    && frame.contentDocument.readyState === 'complete';
            } catch (e) { return false; }
        }"""
    )
    frame = page.frame(name="ch-content")
    assert frame is not None
    return frame


def import_hostile(
    api: sc.CourseApi, tmp_path: Path, server: Server, victim: Victim, local_http: LocalHttp
) -> sc.ImportJobResultSchema:
    planted = local_http.add_file(ScormPackage(title="Planted").to_bytes())
    package = hostile_course(f"{server.base_url}/api/v2", victim.course_id, planted)
    return import_course(api, tmp_path, unique_id("hostile"), package)


def preview_link(api: sc.CourseApi, course_id: str) -> str:
    link: str = api.build_course_preview_launch_link(course_id, sc.PreviewLaunchLinkRequestSchema()).launch_link
    return link
