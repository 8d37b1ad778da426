"""The player's UI texts: one JSON catalog per language in ``i18n/``, chosen by the link's culture, else the
browser's Accept-Language, else English. Adding a language is adding ``i18n/<code>.json`` with the keys of
``en.json`` (docs/player.md); a key missing from a catalog falls back to English."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

CATALOGS = Path(__file__).resolve().parent / "i18n"
DEFAULT = "en"


@cache
def available() -> dict[str, dict[str, str]]:
    loaded: dict[str, dict[str, str]] = {}
    for path in sorted(CATALOGS.glob("*.json")):
        loaded[path.stem.lower()] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def catalog(language: str) -> dict[str, str]:
    catalogs = available()
    return catalogs[DEFAULT] | catalogs.get(language, {})


def _accepted(header: str | None) -> list[str]:
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, position, tag))
    return [tag for _q, _p, tag in sorted(ranked)]


def choose(culture: str | None, accept_language: str | None) -> str:
    catalogs = available()
    for tag in ([culture] if culture else []) + _accepted(accept_language):
        wanted = tag.lower().replace("_", "-")
        for candidate in (wanted, wanted.split("-")[0]):
            if candidate in catalogs:
                return candidate
    return DEFAULT
