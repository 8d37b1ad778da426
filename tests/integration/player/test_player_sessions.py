"""Opening a launch link: the session and its cookie, the player page, content under the player's origin, run-time
data that lives only as long as the session, exit, and the pages that expired or tampered links show."""

from __future__ import annotations

import base64
import json
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from coursehost.context import Context
from coursehost.kit import tokens
from coursehost.models import PlayerRuntime, PlayerSession, utcnow
from tests.integration.conftest import Api
from tests.integration.player.helpers import config, launch, link, open_link
from tests.integration.player.packages import scorm12_course, scorm2004_course


@pytest.fixture
def course(api: Api) -> str:
    api.import_course("course-1", scorm12_course(count=2))
    return "course-1"


def count(ctx: Context, model: Any) -> int:
    with ctx.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def resign(launch_path: str, **changes: Any) -> str:
    base, token = launch_path.rsplit("/", 1)
    body = token.split(".", 1)[0]
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return f"{base}/{tokens.sign(b'test-secret', 'player-launch', payload | changes)}"


def test_opening_a_link_starts_a_session_with_a_scoped_cookie(api: Api, course: str) -> None:
    launch_path = link(api, course)
    opened = api.client.get(launch_path, follow_redirects=False)
    assert opened.status_code == 303
    cookie = opened.headers["set-cookie"]
    session_id = opened.headers["location"].split("/")[2]
    assert f"Path=/player/s/{session_id}/" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie


def test_player_page(api: Api, course: str) -> None:
    _base, page = launch(api, course)
    assert page.headers["cache-control"] == "no-store"
    assert '<h1 id="ch-course-title">Player 1.2</h1>' in page.text
    assert "runtime/scorm12.js" in page.text
    assert "scorm2004.js" not in page.text
    data = config(page)
    assert data["standard"] == "scorm12"
    assert [n["id"] for n in data["nodes"] if n["href"]] == ["i1", "i2"]
    assert data["learner"] == {"id": "coursehost-preview", "name": "Learner, Preview"}


def test_the_player_loads_the_2004_run_time_and_manifest_details(api: Api) -> None:
    api.import_course("c2004", scorm2004_course(choice_exit=False))
    _base, page = launch(api, "c2004")
    assert "runtime/scorm2004.js" in page.text
    assert "scorm12.js" not in page.text
    nodes = config(page)["nodes"]
    assert nodes[0]["control"] == {"choice": True, "choiceExit": True, "flow": True, "forwardOnly": False}
    assert nodes[1]["data"] == {
        "launchData": "launch-data-1",
        "completionThreshold": "0.75",
        "objectives": ["obj-1", "obj-2"],
        "sharedData": [{"id": "com.example.notes", "readable": True, "writable": True}],
    }
    assert nodes[2]["data"]["sharedData"] == [{"id": "com.example.notes", "readable": True, "writable": False}]
    assert nodes[2]["control"]["choiceExit"] is False


def test_content_is_served_under_the_session(api: Api, course: str) -> None:
    base, _page = launch(api, course)
    served = api.client.get(base + "content/sco1.html")
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("text/html")
    assert b"window.sco" in served.content
    assert api.client.get(base + "content/imsmanifest.xml").status_code == 200
    assert api.client.get(base + "content/missing.html").status_code == 404
    assert api.client.get(base + "content/a/../../sco1.html").status_code == 404


def test_byte_ranges(api: Api, course: str) -> None:
    base, _page = launch(api, course)
    full = api.client.get(base + "content/sco1.html").content
    part = api.client.get(base + "content/sco1.html", headers={"Range": "bytes=2-9"})
    assert part.status_code == 206
    assert part.content == full[2:10]
    assert part.headers["content-range"] == f"bytes 2-9/{len(full)}"
    assert api.client.get(base + "content/sco1.html", headers={"Range": "bytes=-4"}).content == full[-4:]
    assert api.client.get(base + "content/sco1.html", headers={"Range": f"bytes={len(full)}-"}).status_code == 416


def test_another_browser_cannot_use_the_session(api: Api, course: str) -> None:
    base, _page = launch(api, course)
    api.client.cookies.clear()
    for path in ("", "content/sco1.html"):
        response = api.client.get(base + path)
        assert response.status_code == 403
    page = api.client.get(base)
    assert "This preview was opened in another browser" in page.text


def test_run_time_data_is_kept_newest_first(api: Api, course: str) -> None:
    base, _page = launch(api, course)
    snapshot = {"standard": "scorm12", "sequence": 2, "cmi": {"core": {"lesson_status": "completed"}}}
    assert api.client.post(base + "runtime/1", json=snapshot).json() == {"stored": True}
    # A replay, or an older delivery arriving late, changes nothing.
    assert api.client.post(base + "runtime/1", json=snapshot | {"sequence": 1}).json() == {"stored": False}
    assert api.client.post(base + "runtime/1", json=snapshot).json() == {"stored": False}
    assert api.client.get(base + "runtime/1").json()["sequence"] == 2
    # A page-unload beacon's body arrives as text/plain.
    beacon = json.dumps(snapshot | {"sequence": 3})
    assert (
        api.client.post(base + "runtime/1", content=beacon, headers={"content-type": "text/plain"}).status_code == 200
    )
    # The player page hands the stored data to the run-time (resume within the preview).
    page = api.client.get(base)
    assert config(page)["runtime"]["1"]["sequence"] == 3


@pytest.mark.parametrize(
    ("activity", "body", "status"),
    [(0, {"sequence": 1}, 404), (7, {"sequence": 1}, 404), (1, {"no": "sequence"}, 400), (1, "not json{", 400)],
)
def test_bad_run_time_data(api: Api, course: str, activity: int, body: Any, status: int) -> None:
    base, _page = launch(api, course)
    content = body if isinstance(body, str) else json.dumps(body)
    assert api.client.post(base + f"runtime/{activity}", content=content).status_code == status


@pytest.mark.parametrize(
    ("activity", "body", "status"),
    [(0, {"sequence": 1}, 404), (7, {"sequence": 1}, 404), (1, {"no": "sequence"}, 400), (1, "not json{", 400)],
)
def test_refused_run_time_data_leaves_the_session_as_it_was(
    api: Api, ctx: Context, course: str, activity: int, body: Any, status: int
) -> None:
    """The handler answers the refusal itself, after the session's expiry was slid forward: that write is undone
    with the rest, as when the refused request never came."""
    base, _page = launch(api, course)
    seen = utcnow() - timedelta(minutes=5)
    with ctx.db.session() as session:
        session.execute(update(PlayerSession).values(seen=seen))
    content = body if isinstance(body, str) else json.dumps(body)
    assert api.client.post(base + f"runtime/{activity}", content=content).status_code == status
    with ctx.db.session() as session:
        stored = session.scalars(select(PlayerSession.seen)).one()
    assert stored.replace(tzinfo=None) == seen.replace(tzinfo=None)
    assert count(ctx, PlayerRuntime) == 0


def test_exit_ends_the_session_and_forgets_its_data(api: Api, ctx: Context, course: str) -> None:
    base, _page = launch(api, course, redirectOnExitUrl="https://lms.example.com/back")
    api.client.post(base + "runtime/1", json={"sequence": 1, "cmi": {}})
    assert count(ctx, PlayerRuntime) == 1
    answer = api.client.post(base + "exit").json()
    assert answer["redirect"] == "https://lms.example.com/back"
    assert count(ctx, PlayerSession) == 0
    assert count(ctx, PlayerRuntime) == 0
    assert api.client.get(base).status_code == 410


def test_exit_defaults_to_the_message_page(api: Api, course: str) -> None:
    base, _page = launch(api, course, culture="fr")
    answer = api.client.post(base + "exit").json()
    assert answer == {"redirect": "message", "exitedPage": "../../exited?lang=fr"}
    page = api.client.get("/player/exited?lang=fr")
    assert "Vous avez quitté le cours" in page.text


def test_session_outlives_the_link_while_active_then_expires(api: Api, ctx: Context, course: str) -> None:
    launch_path = link(api, course, expiry=10)
    base, _page = open_link(api, launch_path)
    with ctx.db.session() as session:
        session.execute(update(PlayerSession).values(seen=utcnow() - timedelta(minutes=5)))
    assert api.client.post(base + "ping").status_code == 204
    with ctx.db.session() as session:
        row = session.scalars(select(PlayerSession)).one()
        assert row.expires.replace(tzinfo=None) > (utcnow() + timedelta(minutes=29)).replace(tzinfo=None)
        session.execute(update(PlayerSession).values(expires=utcnow() - timedelta(seconds=1)))
    assert api.client.post(base + "ping").status_code == 410
    page = api.client.get(base)
    assert page.status_code == 410
    assert "This preview has ended" in page.text
    # Expired sessions are purged when the next one starts.
    launch(api, course)
    assert count(ctx, PlayerSession) == 1


def test_expired_link_page(api: Api, course: str) -> None:
    expired = resign(link(api, course), exp=int(time.time()) - 1)
    page = api.client.get(expired, headers={"accept-language": "es-ES,es;q=0.9"})
    assert page.status_code == 410
    assert page.headers["content-type"].startswith("text/html")
    assert "Este enlace de inicio ha caducado" in page.text


@pytest.mark.parametrize(
    "mangle", [lambda t: t[:-3] + "AAA", lambda t: "x" + t, lambda t: "garbage", lambda t: t + "."]
)
def test_tampered_link_page(api: Api, course: str, mangle: Any) -> None:
    launch_path = link(api, course)
    base, token = launch_path.rsplit("/", 1)
    page = api.client.get(f"{base}/{mangle(token)}")
    assert page.status_code == 403
    assert "This launch link is not valid" in page.text
    assert "Traceback" not in page.text


def test_link_to_a_deleted_course(api: Api, ctx: Context, course: str) -> None:
    launch_path = link(api, course)
    base, _page = open_link(api, launch_path)
    assert api.request("DELETE", f"/courses/{course}").status_code == 204
    # The session went with the version; the link finds no course.
    assert count(ctx, PlayerSession) == 0
    page = api.client.get(launch_path)
    assert page.status_code == 404
    assert "Course not found" in page.text


def test_link_for_another_version(api: Api, course: str) -> None:
    api.import_course(course, scorm12_course(title="Version one", count=1), mayCreateNewVersion="true")
    _base, page = open_link(api, link(api, course, version=0))
    assert config(page)["title"] == "Player 1.2"
    _base, page = open_link(api, link(api, course))
    assert config(page)["title"] == "Version one"


def test_static_files(api: Api) -> None:
    script = api.client.get("/player/static/player/main.mjs")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert api.client.get("/player/static/runtime/scorm12.js").status_code == 200
    assert api.client.get("/player/static/../templates/player.html").status_code == 404
    assert api.client.get("/player/static/nope.js").status_code == 404
