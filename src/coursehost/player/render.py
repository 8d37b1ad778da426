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
RUNTIME_SCRIPTS = ("common.js", "scorm12.js", "scorm2004-validators.js", "scorm2004-datamodel.js", "scorm2004.js")
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
