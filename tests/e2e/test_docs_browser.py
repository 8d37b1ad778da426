"""The interactive docs at /api/v2/docs in Chromium: Swagger UI comes from the package, so the page renders the
served OpenAPI document without asking any other host for anything, and its strict content policy breaks nothing."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Server


def test_docs_page_renders_from_this_server_alone(browser: Any, server: Server) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        requested: list[str] = []
        problems: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(f"{server.base_url}/api/v2/docs")
        page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
        assert "coursehost" in page.inner_text(".swagger-ui .info .title")
        # Operations are listed: the document was fetched and rendered.
        page.wait_for_selector("#operations-course-getCourses", timeout=15_000)
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert requested
    outside = [url for url in requested if not url.startswith(server.base_url + "/") and not url.startswith("data:")]
    assert outside == []
    assert problems == []
