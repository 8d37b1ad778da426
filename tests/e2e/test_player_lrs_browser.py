"""cmi5 and xAPI (Tin Can) courses in the preview player, in a real headless Chromium (docs/xapi.md, "Launches"):
the AU is launched in the player's frame with its launch parameters, fetches its token once, reads its
LMS.LaunchData, reports initialized and terminated with the token, and the course's statements come back through
the official client's getCourseStatements; a Tin Can activity reports with the credential its launch gave it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rustici_software_cloud_v2 as sc

from tests.e2e.conftest import import_course, unique_id
from tests.support.formats import cmi5_au, cmi5_xml, tincan_xml
from tests.support.packages import zip_bytes

TIMEOUT_MS = 15_000

# The AU: reads its launch parameters, POSTs the fetch URL twice and asks the LRS for its launch data; everything
# it saw goes into #result for the test to read.
AU_PAGE = """<!doctype html><html><body><pre id="result"></pre><script>
(async () => {
  const params = Object.fromEntries(new URLSearchParams(location.search));
  const out = { params };
  if (params.fetch) {
    const first = await fetch(params.fetch, { method: "POST", mode: "cors" });
    out.first = { status: first.status, type: first.headers.get("content-type"), body: await first.json() };
    const second = await fetch(params.fetch, { method: "POST", mode: "cors" });
    out.second = await second.json();
    const auth = "Basic " + out.first.body["auth-token"];
    const query = new URLSearchParams({ stateId: "LMS.LaunchData", activityId: params.activityId,
      agent: params.actor, registration: params.registration });
    const state = await fetch(params.endpoint + "activities/state?" + query,
      { headers: { "X-Experience-API-Version": "1.0.3", Authorization: auth } });
    out.launchData = state.status;
    const launchData = await state.json();
    out.launchMode = launchData.launchMode;
    // cmi5 §11: an AU reads the learner's preferences before it sends initialized (404 when there are none).
    const preferences = await fetch(params.endpoint + "agents/profile?" + new URLSearchParams({
      profileId: "cmi5LearnerPreferences", agent: params.actor }),
      { headers: { "X-Experience-API-Version": "1.0.3", Authorization: auth } });
    out.preferences = preferences.status;
    const report = async (verb, result) => {
      const context = JSON.parse(JSON.stringify(launchData.contextTemplate));
      context.registration = params.registration;
      context.contextActivities.category = [{ id: "https://w3id.org/xapi/cmi5/context/categories/cmi5" }];
      const statement = { id: crypto.randomUUID(), actor: JSON.parse(params.actor), verb: { id: verb },
        object: { objectType: "Activity", id: params.activityId }, context, timestamp: new Date().toISOString() };
      if (result) statement.result = result;
      const answer = await fetch(params.endpoint + "statements", { method: "POST", body: JSON.stringify(statement),
        headers: { "X-Experience-API-Version": "1.0.3", Authorization: auth, "Content-Type": "application/json" } });
      return answer.status;
    };
    out.initialized = await report("http://adlnet.gov/expapi/verbs/initialized");
    out.terminated = await report("http://adlnet.gov/expapi/verbs/terminated", { duration: "PT5S" });
  } else if (params.auth) {
    const statement = { actor: JSON.parse(params.actor), verb: { id: "http://adlnet.gov/expapi/verbs/experienced" },
      object: { objectType: "Activity", id: params.activity_id }, context: { registration: params.registration } };
    const headers = { "X-Experience-API-Version": "1.0.3", Authorization: params.auth,
      "Content-Type": "application/json" };
    const answer = await fetch(params.endpoint + "statements",
      { method: "POST", body: JSON.stringify(statement), headers });
    out.posted = answer.status;
  }
  document.getElementById("result").textContent = JSON.stringify(out);
})();
</script></body></html>"""


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


def au_result(page: Any) -> dict[str, Any]:
    frame = page.frame(name="ch-content")
    assert frame is not None
    frame.wait_for_function("document.getElementById('result') && document.getElementById('result').textContent")
    result: dict[str, Any] = json.loads(frame.inner_text("#result"))
    return result


def preview(api: sc.CourseApi, course_id: str) -> str:
    link: str = api.build_course_preview_launch_link(course_id, sc.PreviewLaunchLinkRequestSchema()).launch_link
    return link


def test_a_cmi5_au_gets_its_parameters_and_fetches_its_token_once(page: Any, api: sc.CourseApi, tmp_path: Path) -> None:
    course_id = unique_id("cmi5")
    structure = cmi5_xml(cmi5_au("https://example.com/au/e2e", "au.html?paramA=1"))
    import_course(api, tmp_path, course_id, zip_bytes({"cmi5.xml": structure, "au.html": AU_PAGE}))
    page.goto(preview(api, course_id))
    result = au_result(page)
    params = result["params"]
    assert params["paramA"] == "1"
    assert params["endpoint"].endswith("/lrs/" + api.api_client.configuration.username + "/")
    assert params["activityId"].startswith("urn:uuid:")
    assert json.loads(params["actor"])["account"]["name"] == "preview"
    assert len(params["registration"]) == 36
    assert result["first"]["status"] == 200
    assert result["first"]["type"].startswith("application/json")
    assert result["first"]["body"]["auth-token"]
    assert result["second"]["error-code"] == "1"
    assert (result["launchData"], result["launchMode"]) == (200, "Normal")
    assert result["preferences"] == 404
    assert (result["initialized"], result["terminated"]) == (200, 200)
    verbs = [s.verb.id.rsplit("/", 1)[1] for s in api.get_course_statements(course_id).statements]
    # moveOn defaults to NotApplicable: the course is satisfied at registration, before the launch (cmi5 §9.6.1.1).
    assert verbs == ["satisfied", "launched", "initialized", "terminated"]


def test_an_xapi_activity_gets_the_tin_can_launch_parameters(page: Any, api: sc.CourseApi, tmp_path: Path) -> None:
    course_id = unique_id("tc")
    import_course(api, tmp_path, course_id, zip_bytes({"tincan.xml": tincan_xml(), "index.html": AU_PAGE}))
    page.goto(preview(api, course_id))
    result = au_result(page)
    params = result["params"]
    assert params["activity_id"] == "http://example.com/course"
    assert params["auth"].startswith("Basic ")
    assert params["endpoint"].endswith("/lrs/" + api.api_client.configuration.username + "/")
    assert json.loads(params["actor"])["objectType"] == "Agent"
    assert len(params["registration"]) == 36
    assert result["posted"] == 200
    launched, reported = api.get_course_statements(course_id).statements
    assert launched.verb.id == "http://adlnet.gov/expapi/verbs/launched"  # the player's, before the content's
    assert reported.verb.id == "http://adlnet.gov/expapi/verbs/experienced"
    assert reported.object_activity.id == "http://example.com/course"
    assert reported.context.registration == params["registration"]
