"""Served content cannot attack the API: API responses are unframable, uncached, sandboxed and never shared with
other origins; uploaded HTML and SVG never render on an API path; content keeps serving, with nosniff."""

from __future__ import annotations

import pytest
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient
from httpx import Headers

from coursehost.app import create_app
from coursehost.config import Settings
from tests.integration.conftest import Api
from tests.support.packages import ScormPackage

API_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>'
HTML = b"<html><body><script>fetch('/api/v2/courses').then(r => r.text()).then(alert)</script></body></html>"


def assert_api_headers(headers: Headers) -> None:
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("content-security-policy") == API_CSP
    assert headers.get("x-frame-options") == "DENY"
    assert "access-control-allow-origin" not in headers
    assert "access-control-allow-credentials" not in headers


def test_api_json_headers(api: Api, client: TestClient) -> None:
    for response in (
        api.request("GET", "/courses"),
        api.request("GET", "/courses/missing"),
        client.get("/api/v2/courses"),
        api.request("GET", "/courses", params={"q": "x" * 20_000}),
    ):
        assert_api_headers(response.headers)
        assert response.headers["cache-control"] == "no-store"


def test_no_cors_for_any_origin(api: Api, client: TestClient) -> None:
    evil = {"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    response = api.request("GET", "/courses", headers=evil)
    # Refused as a page's request (test_origins.py), and even that answer shares nothing with the page.
    assert response.status_code == 403
    assert_api_headers(response.headers)
    preflight = client.options("/api/v2/courses", headers=evil | {"Access-Control-Request-Headers": "authorization"})
    assert preflight.status_code >= 400
    assert "access-control-allow-origin" not in preflight.headers


@pytest.mark.parametrize(("name", "data"), [("evil.html", HTML), ("evil.svg", SVG)])
def test_uploaded_html_and_svg_never_render_on_an_api_path(api: Api, name: str, data: bytes) -> None:
    api.import_course("c", ScormPackage().to_bytes())
    files = {"file": (name, data, "application/octet-stream")}
    assert api.request("POST", "/courses/c/asset/upload", files=files, data={"destination": name}).status_code == 200
    download = api.request("GET", "/courses/c/asset", params={"relativePath": name})
    assert download.status_code == 200
    assert download.content == data
    assert download.headers["content-disposition"].startswith("attachment")
    assert_api_headers(download.headers)


def test_even_an_html_response_on_an_api_path_is_sandboxed(settings: Settings) -> None:
    app = create_app(settings)

    @app.get("/api/v2/test-html")
    def html() -> HTMLResponse:
        return HTMLResponse(HTML.decode())

    with TestClient(app) as client:
        response = client.get("/api/v2/test-html")
    assert response.headers["content-type"].startswith("text/html")
    assert_api_headers(response.headers)


def test_docs_page_is_not_framable_and_loads_only_its_own_files(client: TestClient) -> None:
    response = client.get("/api/v2/docs")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'none'" in policy
    assert "script-src 'self' 'unsafe-inline';" in policy
    assert "connect-src 'self';" in policy
    assert response.headers["x-frame-options"] == "DENY"


def test_course_content_keeps_serving_with_nosniff(api: Api, client: TestClient) -> None:
    job = api.import_course("c", ScormPackage().to_bytes())
    web_path = job["importResult"]["webPathToCourse"].removeprefix("http://testserver")
    assert web_path.startswith("/content/")
    response = client.get(web_path + "index.html")
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"
    # Content must run its own script, keep its origin and be framed by the player: not the API's policy.
    assert response.headers["content-security-policy"] != API_CSP
    assert "frame-ancestors" not in response.headers["content-security-policy"]
    assert "access-control-allow-credentials" not in response.headers
