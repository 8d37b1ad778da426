"""The scripts each player page loads are served, as JavaScript, and its ES modules are versioned by its import map:
the player (SCORM 1.2 and 2004 run-times, then main.mjs), the new-window launcher and the media page."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import starlette.responses

from coursehost.player import render
from tests.integration.conftest import Api
from tests.integration.player.helpers import launch
from tests.integration.player.packages import scorm12_course, scorm2004_course
from tests.integration.player.test_player_media import PDF, upload
from tests.integration.player.test_player_settings import configure


class Scripts(HTMLParser):
    """Every <script> of a page, in order: its attributes and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[dict[str, str | None], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.found.append((dict(attrs), ""))

    def handle_data(self, data: str) -> None:
        if self.found and self.lasttag == "script":
            attrs, text = self.found[-1]
            self.found[-1] = (attrs, text + data)


def scripts(html: str) -> list[tuple[dict[str, str | None], str]]:
    parser = Scripts()
    parser.feed(html)
    return parser.found


def page_url(api: Api, kind: str) -> str:
    """The path of a page of each kind, opened like a browser."""
    if kind in ("scorm12", "scorm2004"):
        api.import_course(kind, scorm12_course() if kind == "scorm12" else scorm2004_course())
        return launch(api, kind)[0]
    if kind == "launcher":
        api.import_course("nw", scorm12_course())
        configure(api, "/courses/nw/configuration", PlayerLaunchType="NEW_WINDOW")
        return launch(api, "nw")[0]
    upload(api, "pdf", "guide.pdf", PDF, "application/pdf")
    return launch(api, "pdf")[0] + "media/1"


@pytest.mark.parametrize(
    ("kind", "entry"),
    [("scorm12", "main.mjs"), ("scorm2004", "main.mjs"), ("launcher", "launcher.mjs"), ("media", "media.mjs")],
)
def test_each_page_loads_served_scripts_and_versions_its_modules(api: Api, kind: str, entry: str) -> None:
    url = page_url(api, kind)
    found = scripts(api.client.get(url).text)
    import_maps = [json.loads(text) for attrs, text in found if attrs.get("type") == "importmap"]
    assert len(import_maps) == 1
    loaded = [attrs for attrs, _text in found if attrs.get("src")]
    modules = [attrs["src"] for attrs in loaded if attrs.get("type") == "module"]
    assert [urlsplit(urljoin(url, src)).path for src in modules] == [f"/player/static/player/{entry}"]
    # The import map comes before the module script, which comes after every classic run-time script.
    order = [attrs.get("type") or attrs.get("src", "")[:20] for attrs, _text in found]
    assert order.index("importmap") < order.index("module") == len(order) - 1
    version = render.static_version()
    for attrs in loaded:
        src = attrs["src"] or ""
        assert src.endswith(f"?v={version}"), src
        served = api.client.get(urljoin(url, src))
        assert served.status_code == 200, src
        assert served.headers["content-type"] == "text/javascript; charset=utf-8", src

    imports = import_maps[0]["imports"]
    shipped = {f"/player/static/{name}" for name in render.static_files() if name.endswith(".mjs")}
    assert {urlsplit(urljoin(url, key)).path for key in imports} == shipped
    assert len(shipped) > 5
    for key, versioned in imports.items():
        assert versioned == f"{key}?v={version}"
        served = api.client.get(urljoin(url, versioned))
        assert served.status_code == 200, versioned
        assert served.headers["content-type"] == "text/javascript; charset=utf-8", versioned


@pytest.mark.parametrize("kind", ["scorm12", "scorm2004"])
def test_the_run_times_load_in_the_order_their_files_need(api: Api, kind: str) -> None:
    url = page_url(api, kind)
    classic = [attrs["src"] for attrs, _text in scripts(api.client.get(url).text) if attrs.get("src")][:-1]
    names = [urlsplit(src or "").path.rsplit("/", 1)[-1] for src in classic]
    assert names == list(render.RUNTIME_SCRIPTS[kind])


def test_the_customisation_script_runs_after_the_player(api: Api) -> None:
    api.import_course("course-1", scorm12_course())
    configure(api, "/appManagement/configuration", ModernPlayerCustomizationScriptUrl="https://cdn.example.com/x.js")
    _base, page = launch(api, "course-1")
    loaded = [attrs for attrs, _text in scripts(page.text) if attrs.get("src")]
    # A module script is deferred: the customisation script must be too, or it would run before the player.
    assert loaded[-2]["type"] == "module"
    assert loaded[-1] == {"src": "https://cdn.example.com/x.js", "defer": None}


@pytest.mark.parametrize("name", sorted(render.static_files()))
def test_static_files_are_served_with_their_type(api: Api, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Browsers refuse a module script served with any other type: it must not depend on the platform's mime.types.
    monkeypatch.setattr(starlette.responses, "guess_type", lambda *_args, **_kwargs: (None, None))
    served = api.client.get(f"/player/static/{name}")
    assert served.status_code == 200
    expected = {".mjs": "text/javascript", ".js": "text/javascript", ".css": "text/css", ".html": "text/html"}
    assert served.headers["content-type"] == expected[name[name.rindex(".") :]] + "; charset=utf-8"
