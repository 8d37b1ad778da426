"""How content delivery answers (content/delivery.py, player/delivery.py, kit/delivery.py): caching headers, HEAD,
revalidation, files too large to keep in memory, version numbers only the route reads, the player's static files,
and the answers meant for a front nginx (X-Accel-Redirect)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from coursehost.app import create_app
from coursehost.auth.service import create_application
from coursehost.config import Settings
from coursehost.content.cache import CacheLimits
from coursehost.models import Application
from coursehost.player import render
from tests.integration.conftest import Api, basic
from tests.integration.player.helpers import launch
from tests.support.packages import ScormPackage

SMALL = b"console.log(1);\n" * 128
# Larger than the largest file kept in memory: streamed from storage.
LARGE = bytes(range(256)) * (CacheLimits().file_bytes // 256 + 40)


def course(api: Api, course_id: str = "c") -> str:
    files = {"app.js": SMALL, "media/big.bin": LARGE}
    job = api.import_course(course_id, ScormPackage(extra_files=files).to_bytes())
    return str(job["importResult"]["webPathToCourse"]).removeprefix("http://testserver")


def etag(data: bytes) -> str:
    return f'"{hashlib.sha256(data).hexdigest()}"'


def test_course_files_are_revalidated_by_default(api: Api) -> None:
    base = course(api)
    small = api.client.get(base + "app.js")
    assert (small.status_code, small.content) == (200, SMALL)
    assert small.headers["cache-control"] == "public, no-cache"
    assert small.headers["content-type"] == "text/javascript; charset=utf-8"
    assert small.headers["etag"] == etag(SMALL)
    for asked in (etag(SMALL), f'"x", W/{etag(SMALL)}', "*"):
        again = api.client.get(base + "app.js", headers={"If-None-Match": asked})
        assert (again.status_code, again.content) == (304, b"")
        assert again.headers["etag"] == etag(SMALL)
        assert again.headers["cache-control"] == "public, no-cache"
    other = api.client.get(base + "app.js", headers={"If-None-Match": '"something else"'})
    assert (other.status_code, other.content) == (200, SMALL)


def test_head_says_what_get_would_send(api: Api) -> None:
    base = course(api)
    for name, data in (("app.js", SMALL), ("media/big.bin", LARGE)):
        head = api.client.head(base + name)
        assert (head.status_code, head.content) == (200, b"")
        assert head.headers["content-length"] == str(len(data))
        assert head.headers["etag"] == etag(data)


def test_a_file_too_large_for_memory_is_streamed_with_ranges(api: Api) -> None:
    base = course(api)
    whole = api.client.get(base + "media/big.bin")
    assert (whole.status_code, whole.content) == (200, LARGE)
    assert whole.headers["content-type"] == "application/octet-stream"
    part = api.client.get(base + "media/big.bin", headers={"Range": "bytes=270000-270099"})
    assert (part.status_code, part.content) == (206, LARGE[270000:270100])
    assert part.headers["content-range"] == f"bytes 270000-270099/{len(LARGE)}"
    tail = api.client.get(base + "media/big.bin", headers={"Range": "bytes=-10"})
    assert (tail.status_code, tail.content) == (206, LARGE[-10:])
    small_part = api.client.get(base + "app.js", headers={"Range": "bytes=16-31"})
    assert (small_part.status_code, small_part.content) == (206, SMALL[16:32])
    beyond = api.client.get(base + "app.js", headers={"Range": f"bytes={len(SMALL)}-"})
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{len(SMALL)}"


def test_version_numbers_only_the_route_reads_and_other_methods(api: Api) -> None:
    base = course(api)
    plus = base.replace("/0/", "/+0/")
    assert (api.client.get(plus + "app.js").content, api.client.get(plus + "app.js").headers["etag"]) == (
        SMALL,
        etag(SMALL),
    )
    assert api.client.get(base.replace("/0/", "/x/") + "app.js").status_code == 400
    assert api.client.post(base + "app.js").status_code == 405
    assert api.client.get(base + "").status_code == 404
    assert api.client.get(base + "a/../app.js").status_code in (200, 404)  # the client may resolve ".." itself


def test_a_time_to_keep_course_files_can_be_chosen(settings: Settings) -> None:
    chosen = settings.model_copy(update={"content_max_age_seconds": 600})
    with TestClient(create_app(chosen)) as client:
        api = Api(client, _app(client))
        base = course(api)
        assert client.get(base + "app.js").headers["cache-control"] == "public, max-age=600, must-revalidate"


def _app(client: TestClient) -> dict[str, str]:
    with client.app.state.ctx.db.session() as session:  # type: ignore[attr-defined]
        created = create_application(session, "chosen")
    return basic(created.app_id, created.secret_key) | {"X-App-Id": created.app_id}


def test_player_session_files(api: Api) -> None:
    course(api)
    base, _page = launch(api, "c")
    small = api.client.get(base + "content/app.js")
    assert (small.status_code, small.content) == (200, SMALL)
    assert small.headers["cache-control"] == "private, max-age=300"
    assert small.headers["content-security-policy"].startswith("sandbox ")
    again = api.client.get(base + "content/app.js", headers={"If-None-Match": small.headers["etag"]})
    assert again.status_code == 304
    part = api.client.get(base + "content/media/big.bin", headers={"Range": "bytes=0-9"})
    assert (part.status_code, part.content) == (206, LARGE[:10])
    missing = api.client.get(base + "content/nope.js")
    assert (missing.status_code, missing.text) == (404, "No file 'nope.js' in this course")


def test_player_static_files(api: Api) -> None:
    name = "player/main.mjs"
    body = render.static_files()[name].read_bytes()
    current = api.client.get(f"/player/static/{name}?v={render.static_version()}")
    assert (current.status_code, current.content) == (200, body)
    assert current.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert current.headers["etag"] == etag(body)
    assert current.headers["content-type"] == "text/javascript; charset=utf-8"
    for url in (f"/player/static/{name}", f"/player/static/{name}?v=0ld"):
        assert api.client.get(url).headers["cache-control"] == "public, no-cache"
    again = api.client.get(f"/player/static/{name}", headers={"If-None-Match": etag(body)})
    assert (again.status_code, again.content) == (304, b"")
    assert api.client.head(f"/player/static/{name}").headers["content-length"] == str(len(body))


@pytest.fixture
def accel(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings.model_copy(update={"accel_redirect": "/_coursehost/"}))) as client:
        yield client


def test_behind_nginx_the_bytes_are_left_to_it(accel: TestClient) -> None:
    api = Api(accel, _app(accel))
    base = course(api)
    with accel.app.state.ctx.db.session() as session:  # type: ignore[attr-defined]
        app_pk = session.scalar(select(Application.pk).where(Application.app_id == api.app_id))
    sha = hashlib.sha256(SMALL).hexdigest()
    # nginx answers the Range itself, from the file it is pointed at.
    answer = accel.get(base + "app.js", headers={"Range": "bytes=0-3"})
    assert (answer.status_code, answer.content) == (200, b"")
    assert answer.headers["x-accel-redirect"] == f"/_coursehost/blobs/{app_pk}/{sha[:2]}/{sha}"
    assert answer.headers["content-type"] == "text/javascript; charset=utf-8"
    assert answer.headers["etag"] == etag(SMALL)
    assert answer.headers["cache-control"] == "public, no-cache"
    assert answer.headers["content-security-policy"].startswith("sandbox ")
    # Revalidation, refusals and missing files are still coursehost's own answers.
    revalidated = accel.get(base + "app.js", headers={"If-None-Match": etag(SMALL)})
    assert revalidated.status_code == 304
    assert "x-accel-redirect" not in revalidated.headers
    assert accel.get(base + "nope.js").status_code == 404
    player, _page = launch(api, "c")
    through_player = accel.get(player + "content/media/big.bin")
    big = hashlib.sha256(LARGE).hexdigest()
    assert through_player.headers["x-accel-redirect"] == f"/_coursehost/blobs/{app_pk}/{big[:2]}/{big}"
    assert through_player.headers["cache-control"] == "private, max-age=300"
