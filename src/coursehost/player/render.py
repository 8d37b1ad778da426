"""HTML for the player: Jinja2 templates (autoescaped) and the static files' cache-busting version."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from coursehost.player.messages import catalog

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
# The SCORM run-times: classic scripts, in the order each standard loads them (docs/player-runtime.md).
RUNTIME_COMMON = ("values.js", "engine.js", "common.js")
RUNTIME_SCRIPTS = {
    "scorm12": (*RUNTIME_COMMON, "scorm12-datamodel.js", "scorm12.js"),
    "scorm2004": (*RUNTIME_COMMON, "scorm2004-validators.js", "scorm2004-datamodel.js", "scorm2004.js"),
}
# Browsers run a module script only when it is served with a JavaScript type, so the player's own files do not
# depend on what the platform's mime.types says.
MEDIA_TYPES = {".mjs": "text/javascript", ".js": "text/javascript", ".css": "text/css", ".html": "text/html"}
# Player pages are personal and short-lived; nothing in between should keep them.
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin"}

_env = Environment(
    loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]), trim_blocks=True
)


@cache
def static_files() -> dict[str, Path]:
    return {p.relative_to(STATIC).as_posix(): p for p in sorted(STATIC.rglob("*")) if p.is_file()}


@cache
def static_version() -> str:
    digest = hashlib.sha256()
    for name, path in static_files().items():
        digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def media_type(path: Path) -> str | None:
    """The type a static file is served with (None: guessed from its name)."""
    return MEDIA_TYPES.get(path.suffix)


def import_map(static_base: str) -> dict[str, dict[str, str]]:
    """An import map giving each of the player's ES modules (``static/player/*.mjs``) its cache-busting version.

    A page loads its entry module as ``<name>.mjs?v=<version>``, but the modules it imports are named relative to
    it without the query; the map adds it, so a browser never combines modules of two versions from its cache.
    ``static_base`` is the static folder relative to the page.
    """
    version = static_version()
    modules = (name for name in static_files() if name.endswith(".mjs"))
    return {"imports": {f"{static_base}{name}": f"{static_base}{name}?v={version}" for name in modules}}


_env.globals["import_map"] = import_map


def page(template: str, status: int = 200, **values: Any) -> HTMLResponse:
    html = _env.get_template(template).render(static_version=static_version(), **values)
    return HTMLResponse(html, status_code=status, headers=NO_STORE)


def message(key: str, status: int, language: str, static_base: str) -> HTMLResponse:
    texts = catalog(language)
    return page(
        "message.html",
        status,
        lang=language,
        title=texts.get(f"{key}.title", key),
        text=texts.get(f"{key}.text", ""),
        static_base=static_base,
    )
