"""Helpers for the player's integration tests: build a link, open it like a browser, read the player's config."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urljoin

import httpx

from tests.integration.conftest import Api

HOST = "http://testserver"
_CONFIG = re.compile(r'<script type="application/json" id="ch-config">(.*?)</script>', re.S)


def link(api: Api, course_id: str, version: int | None = None, **body: Any) -> str:
    path = f"/courses/{course_id}/preview" if version is None else f"/courses/{course_id}/versions/{version}/preview"
    response = api.request("POST", path, json=body)
    assert response.status_code == 200, response.text
    launch: str = response.json()["launchLink"]
    assert launch.startswith(f"{HOST}/player/launch/")
    return launch.removeprefix(HOST)


def open_link(api: Api, launch_path: str, **headers: str) -> tuple[str, httpx.Response]:
    """Open a launch link; return the session's base path and the player page."""
    opened = api.client.get(launch_path, follow_redirects=False, headers=headers)
    assert opened.status_code == 303, opened.text
    base = urljoin(launch_path, opened.headers["location"])
    page = api.client.get(base, headers=headers)
    assert page.status_code == 200, page.text
    return base, page


def launch(api: Api, course_id: str, **body: Any) -> tuple[str, httpx.Response]:
    return open_link(api, link(api, course_id, **body))


def config(page: httpx.Response) -> dict[str, Any]:
    found = _CONFIG.search(page.text)
    assert found is not None, page.text[:500]
    data: dict[str, Any] = json.loads(found.group(1))
    return data
