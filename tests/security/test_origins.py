"""Web pages never act on the API (kit/origins.py, docs/security.md): no login prompt a browser could remember, no
API answer to a request a browser marks as a page's, and, with a content origin configured, each origin serves only
its half. Every operation of the served OpenAPI document is walked, so a route added later is covered too."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from coursehost.app import create_app
from coursehost.auth.service import create_application
from coursehost.config import Settings
from tests.integration.conftest import Api, basic
from tests.support.packages import ScormPackage

PAGE_MARKS = [
    {"Sec-Fetch-Site": "same-origin"},
    {"Sec-Fetch-Site": "same-site"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"},
    {"Origin": "http://testserver"},
    {"Origin": "null"},
    {"Origin": "https://evil.example"},
]
PROMPTING_SCHEMES = re.compile(r"\b(basic|digest|ntlm|negotiate)\b", re.IGNORECASE)
VALUES = {"courseId": "c", "versionId": "0", "settingId": "PlayerLaunchType", "importJobId": "job"}


def operations(client: TestClient) -> list[tuple[str, str]]:
    document = client.get("/api/v2/openapi.json").json()
    found = []
    for template, item in document["paths"].items():
        path = re.sub(r"\{(\w+)\}", lambda m: VALUES.get(m.group(1), "x"), template)
        found += [(method.upper(), path) for method in item if method in ("get", "put", "post", "delete")]
    assert len(found) >= 40
    return found


@pytest.fixture
def course(api: Api) -> Api:
    api.import_course("c", ScormPackage(title="Kept").to_bytes(), tags=["kept"])
    return api


def test_no_answer_asks_a_browser_for_a_login(settings: Settings) -> None:
    lenient = settings.model_copy(update={"auth_max_failures_per_address": 10_000, "auth_max_failures_per_app": 10_000})
    with TestClient(create_app(lenient)) as client:
        with client.app.state.ctx.db.session() as session:  # type: ignore[attr-defined]
            app_id = create_application(session, "prompt").app_id
        for method, path in operations(client):
            assert_no_login_prompt(client, method, path, basic(app_id, "wrong"))


def assert_no_login_prompt(client: TestClient, method: str, path: str, wrong: dict[str, str]) -> None:
    if not path.endswith("/openapi.json"):
        for headers in ({}, wrong, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic !!!"}):
            response = client.request(method, path, headers=headers)
            assert response.status_code == 401, (method, path, headers, response.text)
            assert set(response.json()) == {"message", "error"}
            challenge = response.headers.get("www-authenticate", "")
            assert not PROMPTING_SCHEMES.search(challenge), (method, path, challenge)


@pytest.mark.parametrize("marks", PAGE_MARKS)
def test_every_operation_refuses_a_page_request(client: TestClient, course: Api, marks: dict[str, str]) -> None:
    for method, path in operations(client):
        if path.endswith("/openapi.json"):
            continue
        response = client.request(method, path, headers=course.headers | marks, json={})
        assert response.status_code == 403, (method, path, marks, response.text)
        assert "does not answer web pages" in response.json()["message"]
    # Nothing was read or changed: the course, its title, its tags and its configuration are as they were.
    kept = course.request("GET", "/courses/c").json()
    assert kept["title"] == "Kept"
    assert kept["tags"] == ["kept"]
    settings = course.request("GET", "/courses/c/configuration").json()["settingItems"]
    assert all(s.get("effectiveValueSource") != "course" for s in settings)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "navigate"},  # an address typed into the browser
        {"Sec-Fetch-Mode": "cors"},  # node's fetch sends this alone
    ],
)
def test_programs_and_typed_addresses_pass(course: Api, headers: dict[str, str]) -> None:
    response = course.request("GET", "/courses/c", headers=headers)
    assert response.status_code == 200
    assert course.request("PUT", "/courses/c/title", json={"title": "Renamed"}, headers=headers).status_code == 204


def test_public_documentation_stays_open_to_pages(client: TestClient) -> None:
    marks = {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Dest": "script"}
    assert client.get("/api/v2/openapi.json", headers=marks).status_code == 200
    assert client.get("/api/v2/docs", headers=marks | {"Sec-Fetch-Dest": "document"}).status_code == 200
    assert client.get("/api/v2/docs/oauth2-redirect", headers=marks).status_code == 200
    script = client.get("/api/v2/docs/static/swagger-ui-bundle.js", headers=marks)
    assert script.status_code == 200
    assert len(script.content) > 100_000


def test_docs_page_needs_no_outside_host(client: TestClient) -> None:
    page = client.get("/api/v2/docs").text
    referenced = re.findall(r"""(?:src|href|url)\s*[:=]\s*['"]([^'"]+)['"]""", page)
    assert referenced, page
    for url in referenced:
        assert url.startswith("/api/v2/"), f"the docs page loads {url}"
    assert "://" not in page.replace("http://www.w3.org", "")
    # Same origin as the content here: "Try it out" would only meet the page-request refusal, so it is off.
    assert '"supportedSubmitMethods": []' in page
    assert '"validatorUrl": null' in page


def test_course_content_has_its_sandbox_and_keeps_its_origin(client: TestClient, course: Api) -> None:
    job = course.request("GET", "/courses/c/versions/0").json()
    assert job["id"] == "c"
    response = client.get(f"/content/courses/{course.app_id}/c/0/index.html")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert policy.startswith("sandbox ")
    # Same origin kept (content finds the run-time API in the player's window), top navigation only on a click.
    assert "allow-same-origin" in policy
    assert "allow-scripts" in policy
    assert "allow-top-navigation-by-user-activation" in policy
    assert "allow-top-navigation " not in policy + " "


# ------------------------------------------------------------------------------------- content on its own origin


@pytest.fixture
def split(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings.model_copy(update={"content_url": "http://content.test"}))) as test_client:
        yield test_client


@pytest.fixture
def split_api(split: TestClient) -> Api:
    with split.app.state.ctx.db.session() as session:  # type: ignore[attr-defined]
        created = create_application(session, "split")
    return Api(split, basic(created.app_id, created.secret_key) | {"X-App-Id": created.app_id})


def test_links_point_at_the_content_origin(split_api: Api) -> None:
    job = split_api.import_course("c", ScormPackage().to_bytes())
    assert job["importResult"]["webPathToCourse"].startswith(f"http://content.test/content/courses/{split_api.app_id}/")
    link = split_api.request("POST", "/courses/c/preview", json={}).json()["launchLink"]
    assert link.startswith("http://content.test/player/launch/")


def test_each_origin_serves_its_half(split: TestClient, split_api: Api) -> None:
    split_api.import_course("c", ScormPackage().to_bytes())
    content = f"/content/courses/{split_api.app_id}/c/0/index.html"
    on_content = {"Host": "content.test"}
    assert split.get(content, headers=on_content).status_code == 200
    assert split.get("/player/static/player/main.mjs", headers=on_content).status_code == 200
    for path in ("/api/v2/courses", "/api/v2/openapi.json", "/api/v2/docs", "/"):
        assert split.get(path, headers=on_content | split_api.headers).status_code == 404, path
    for path in (content + "?x=1", "/player/launch/token", "/player/static/player/main.mjs"):
        moved = split.get(path, follow_redirects=False)
        assert moved.status_code == 308, path
        assert moved.headers["location"] == "http://content.test" + path


def test_api_pages_may_call_the_api_when_content_lives_elsewhere(split: TestClient, split_api: Api) -> None:
    own = {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}
    assert split_api.request("GET", "/courses", headers=own).status_code == 200
    assert split_api.request("GET", "/courses", headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200
    for marks in ({"Sec-Fetch-Site": "same-site"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "http://content.test"}):
        assert split_api.request("GET", "/courses", headers=marks).status_code == 403, marks
    page = split.get("/api/v2/docs").text
    assert "supportedSubmitMethods" not in page
