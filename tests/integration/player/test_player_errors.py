"""Every player route answers an error the same way, whatever raised it: the learner's pages with an error page in
the learner's language (its stylesheet found relative to the page), course files with the error's key as text, and
the page's own calls with ``{"message", "error"}`` JSON; each with the error's status."""

from __future__ import annotations

import re
import time

import httpx
import pytest
from sqlalchemy import update

from coursehost.context import Context
from coursehost.models import PlayerSession, utcnow
from coursehost.player import render
from tests.integration.conftest import Api
from tests.integration.player.helpers import launch, link
from tests.integration.player.packages import scorm12_course
from tests.integration.player.test_player_sessions import resign

# (method, path under the session, how the route answers an error, the static folder relative to it)
ROUTES = [
    ("GET", "", "page", "../../static/"),
    ("GET", "content/sco1.html", "text", None),
    ("GET", "media/1", "page", "../../../static/"),
    ("GET", "runtime/1", "json", None),
    ("POST", "runtime/1", "json", None),
    ("POST", "ping", "json", None),
    ("POST", "exit", "json", None),
]
FRENCH = {"accept-language": "fr-FR,fr;q=0.9"}
TITLES = {
    "otherBrowser": "Cet aperçu a été ouvert dans un autre navigateur",
    "sessionEnded": "Cet aperçu est terminé",
    "expiredLink": "Ce lien de lancement a expiré",
    "invalidLink": "Ce lien de lancement n’est pas valide",
    "notFound": "Cours introuvable",
}


@pytest.fixture
def base(api: Api) -> str:
    api.import_course("course-1", scorm12_course(count=2))
    return launch(api, "course-1")[0]


def request(api: Api, method: str, url: str) -> httpx.Response:
    body = b'{"sequence": 9, "cmi": {}}' if method == "POST" else None
    return api.client.request(method, url, content=body, headers=FRENCH)


def assert_answer(response: httpx.Response, status: int, key: str, kind: str, static_base: str | None) -> None:
    assert response.status_code == status
    if kind == "json":
        assert response.headers["content-type"] == "application/json"
        assert response.content == b'{"message":"%s","error":"%s"}' % (key.encode(), key.encode())
    elif kind == "text":
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert response.text == key
    else:
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert response.headers["cache-control"] == "no-store"
        assert '<html lang="fr">' in response.text
        assert f'<h1 id="ch-message-title">{TITLES[key]}</h1>' in response.text
        stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)">', response.text)
        assert stylesheet is not None
        assert stylesheet.group(1) == f"{static_base}player.css?v={render.static_version()}"


@pytest.mark.parametrize(("method", "path", "kind", "static_base"), ROUTES)
def test_a_session_opened_in_another_browser(
    api: Api, base: str, method: str, path: str, kind: str, static_base: str | None
) -> None:
    api.client.cookies.clear()
    assert_answer(request(api, method, base + path), 403, "otherBrowser", kind, static_base)


@pytest.mark.parametrize(("method", "path", "kind", "static_base"), ROUTES)
def test_a_session_that_expired(
    api: Api, ctx: Context, base: str, method: str, path: str, kind: str, static_base: str | None
) -> None:
    with ctx.db.session() as session:
        session.execute(update(PlayerSession).values(expires=utcnow()))
    assert_answer(request(api, method, base + path), 410, "sessionEnded", kind, static_base)


@pytest.mark.parametrize(("method", "path", "kind", "static_base"), ROUTES)
def test_a_session_that_ended(api: Api, base: str, method: str, path: str, kind: str, static_base: str | None) -> None:
    assert api.client.post(base + "exit").status_code == 200
    assert_answer(request(api, method, base + path), 410, "sessionEnded", kind, static_base)


def test_errors_of_the_route_itself(api: Api, base: str) -> None:
    assert_answer(request(api, "GET", base + "media/7"), 404, "notFound", "page", "../../../static/")
    bad = api.client.post(base + "runtime/1", content=b"not json{")
    assert_answer(bad, 400, "badSnapshot", "json", None)


def test_launch_links(api: Api) -> None:
    api.import_course("course-2", scorm12_course(count=1))
    launch_path = link(api, "course-2")
    expired = resign(launch_path, exp=int(time.time()) - 1)
    assert_answer(request(api, "GET", expired), 410, "expiredLink", "page", "../static/")
    assert_answer(request(api, "GET", launch_path + "x"), 403, "invalidLink", "page", "../static/")
    assert api.request("DELETE", "/courses/course-2").status_code == 204
    assert_answer(request(api, "GET", launch_path), 404, "notFound", "page", "../static/")
