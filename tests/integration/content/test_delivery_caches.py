"""Every change that can make content delivery's caches wrong reaches them: at once in the process that made it,
and in another process sharing the database at its next poll of cache events (kit/invalidation.py).

``other`` is a second application object on the same database and data directory, standing in for another
``coursehost serve`` worker; its poller is slowed to an hour, so the test decides when it reads the events. Each
test first makes ``other`` hold the entry (and shows that it answers from memory until it polls), then changes
things through ``api`` and checks ``other`` after ``poll()``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from coursehost.app import create_app
from coursehost.config import Settings
from coursehost.context import Context
from tests.integration.assets.test_assets import upload
from tests.integration.conftest import Api
from tests.integration.player.helpers import launch
from tests.support.packages import ScormPackage

OLD = b"old bytes " * 100
NEW = b"new bytes " * 120
HOUR = 3600.0


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"cache_poll_seconds": HOUR})


@pytest.fixture
def other(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


def poll(client: TestClient) -> None:
    context: Context = client.app.state.ctx  # type: ignore[attr-defined]
    context.invalidations.poll()


def package(files: dict[str, bytes] | None = None) -> bytes:
    return ScormPackage(extra_files=files or {}).to_bytes()


def web_path(api: Api, course_id: str, version: int) -> str:
    return f"/content/courses/{api.app_id}/{course_id}/{version}/"


def test_a_deleted_version(api: Api, other: TestClient) -> None:
    api.import_course("c", package({"a/file.js": OLD}))
    api.import_course("c", package({"a/file.js": NEW}), mayCreateNewVersion="true")
    url = web_path(api, "c", 0) + "a/file.js"
    assert other.get(url).content == OLD
    assert api.request("DELETE", "/courses/c/versions/0").status_code == 204
    assert api.client.get(url).status_code == 404  # the process that deleted it knows at once
    assert other.get(url).content == OLD  # the other answers from memory until it reads the events
    poll(other)
    assert other.get(url).status_code == 404
    assert other.get(web_path(api, "c", 1) + "a/file.js").content == NEW


def test_a_deleted_course_takes_every_version(api: Api, other: TestClient) -> None:
    api.import_course("c", package({"a/file.js": OLD}))
    api.import_course("c", package({"a/file.js": NEW}), mayCreateNewVersion="true")
    urls = [web_path(api, "c", v) + "a/file.js" for v in (0, 1)]
    assert [other.get(u).status_code for u in urls] == [200, 200]
    assert api.request("DELETE", "/courses/c").status_code == 204
    assert [api.client.get(u).status_code for u in urls] == [404, 404]
    poll(other)
    assert [other.get(u).status_code for u in urls] == [404, 404]


def test_a_version_number_used_again_after_its_version_was_deleted(api: Api, other: TestClient) -> None:
    api.import_course("c", package({"a/file.js": OLD}))
    api.import_course("c", package({"a/file.js": OLD, "b.js": OLD}), mayCreateNewVersion="true")
    url = web_path(api, "c", 1)
    assert other.get(url + "a/file.js").content == OLD
    assert other.get(url + "b.js").status_code == 200
    assert api.request("DELETE", "/courses/c/versions/1").status_code == 204
    # The next import takes number 1 again (max + 1), with other files.
    api.import_course("c", package({"a/file.js": NEW}), mayCreateNewVersion="true")
    assert api.client.get(url + "a/file.js").content == NEW
    poll(other)
    assert other.get(url + "a/file.js").content == NEW
    assert other.get(url + "b.js").status_code == 404


def test_a_replaced_asset(api: Api, other: TestClient) -> None:
    api.import_course("c", package({"a/file.js": OLD}))
    url = web_path(api, "c", 0) + "a/file.js"
    first = other.get(url)
    assert first.headers["etag"] == f'"{hashlib.sha256(OLD).hexdigest()}"'
    assert upload(api, "/courses/c/asset/upload", NEW, "a/file.js").status_code == 200
    assert api.client.get(url).content == NEW
    assert other.get(url).content == OLD
    poll(other)
    again = other.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert (again.status_code, again.content) == (200, NEW)
    assert again.headers["etag"] == f'"{hashlib.sha256(NEW).hexdigest()}"'


def test_an_added_asset_that_was_missing(api: Api, other: TestClient) -> None:
    api.import_course("c", package())
    url = web_path(api, "c", 0) + "later.js"
    assert other.get(url).status_code == 404  # "no such file" is kept too
    assert upload(api, "/courses/c/versions/0/asset/upload", NEW, "later.js").status_code == 200
    assert api.client.get(url).content == NEW
    poll(other)
    assert other.get(url).content == NEW


def test_a_deleted_asset(api: Api, other: TestClient) -> None:
    api.import_course("c", package({"a/file.js": OLD}))
    url = web_path(api, "c", 0) + "a/file.js"
    assert other.get(url).status_code == 200
    assert api.request("DELETE", "/courses/c/asset", params={"relativePath": "a/file.js"}).status_code == 204
    assert api.client.get(url).status_code == 404
    poll(other)
    assert other.get(url).status_code == 404


def test_a_case_insensitive_match_follows_its_file(api: Api, other: TestClient) -> None:
    api.import_course("c", package({"Images/Logo.PNG": OLD}))
    url = web_path(api, "c", 0) + "images/logo.png"
    assert other.get(url).content == OLD
    assert upload(api, "/courses/c/asset/upload", NEW, "Images/Logo.PNG").status_code == 200
    poll(other)
    assert other.get(url).content == NEW


def player_other(api: Api, other: TestClient, course_id: str) -> str:
    """A preview opened through ``api``'s client, its files then asked for through ``other`` with the same cookie."""
    base, _page = launch(api, course_id)
    other.cookies = api.client.cookies
    return base


def test_a_player_session_that_ended(api: Api, other: TestClient) -> None:
    api.import_course("c", package({"a/file.js": OLD}))
    base = player_other(api, other, "c")
    assert other.get(base + "content/a/file.js").content == OLD
    assert api.client.post(base + "exit").status_code == 200
    assert other.get(base + "content/a/file.js").status_code == 200
    poll(other)
    ended = other.get(base + "content/a/file.js")
    assert (ended.status_code, ended.text) == (410, "sessionEnded")


def test_a_player_session_whose_course_was_deleted(api: Api, other: TestClient) -> None:
    api.import_course("c", package({"a/file.js": OLD}))
    base = player_other(api, other, "c")
    assert other.get(base + "content/a/file.js").status_code == 200
    assert api.request("DELETE", "/courses/c").status_code == 204
    assert api.client.get(base + "content/a/file.js").status_code == 410
    poll(other)
    assert other.get(base + "content/a/file.js").status_code == 410


def test_a_player_session_sees_its_replaced_asset(api: Api, other: TestClient) -> None:
    api.import_course("c", package({"a/file.js": OLD}))
    base = player_other(api, other, "c")
    assert other.get(base + "content/a/file.js").content == OLD
    assert upload(api, "/courses/c/asset/upload", NEW, "a/file.js").status_code == 200
    assert api.client.get(base + "content/a/file.js").content == NEW
    poll(other)
    assert other.get(base + "content/a/file.js").content == NEW


def test_when_events_cannot_be_read_everything_is_dropped(api: Api, other: TestClient) -> None:
    api.import_course("c", package({"a/file.js": OLD}))
    url = web_path(api, "c", 0) + "a/file.js"
    assert other.get(url).status_code == 200
    context: Context = other.app.state.ctx  # type: ignore[attr-defined]
    assert context.content.served.sizes()[:2] == (1, 1)
    context.invalidations.drop_everything()
    assert context.content.served.sizes()[:2] == (0, 0)
