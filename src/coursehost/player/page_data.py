"""The data each player page is rendered with: the player, the new-window launcher and the media page."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi.responses import HTMLResponse

from coursehost.kit.routing import loads_scrubbed
from coursehost.models import PlayerSession
from coursehost.player import hacp, render
from coursehost.player.messages import catalog
from coursehost.player.sessions import PlayerError

# Preview has no learner: content that insists on a name gets this one ("Last, First", as SCORM 1.2 writes names).
LEARNER = {"id": "coursehost-preview", "name": "Learner, Preview"}


def parse_json(body: bytes) -> Any:
    try:
        return loads_scrubbed(body)
    except (ValueError, RecursionError) as exc:
        raise PlayerError(400, "badSnapshot") from exc


def player(
    row: PlayerSession, snapshots: dict[int, dict[str, Any]], language: str, secret: bytes, content_url: str
) -> HTMLResponse:
    plan = row.plan
    settings = plan["settings"]
    texts = catalog(language)
    config: dict[str, Any] = {
        "standard": plan["standard"],
        "title": plan["title"],
        "nodes": plan["nodes"],
        "start": plan["start"],
        "settings": settings,
        "runtime": {str(activity): data for activity, data in snapshots.items()},
        "t": texts,
        "lang": language,
        "learner": LEARNER,
        "additionalValues": row.options.get("values") or [],
    }
    if plan["standard"] == "aicc":
        config["aicc"] = {
            "url": f"{content_url}/player/hacp",
            "sids": {
                str(index): hacp.aicc_sid(secret, row.id, index)
                for index, node in enumerate(plan["nodes"])
                if node["href"]
            },
        }
    return render.page(
        "player.html",
        lang=language,
        title=plan["title"],
        t=texts,
        settings=settings,
        config=config,
        # The launch link's cssUrl wins over the application's stylesheet setting.
        stylesheet=row.options.get("css") or settings.get("stylesheetUrl") or None,
        custom_script=settings.get("scriptUrl") or None,
        runtime_scripts=render.RUNTIME_SCRIPTS.get(plan["standard"], ()),
    )


def launcher(row: PlayerSession, language: str) -> HTMLResponse:
    settings = row.plan["settings"]
    launch_type = settings["launchType"]
    texts = catalog(language)
    data = {
        "url": "./?window=player",
        "afterClick": "AFTER_CLICK" in launch_type,
        "toolbar": "WITHOUT_BROWSER_TOOLBAR" not in launch_type,
        "width": settings.get("desiredWidth"),
        "height": settings.get("desiredHeight"),
    }
    return render.page("launcher.html", lang=language, title=row.plan["title"], t=texts, launcher=data)


def media(row: PlayerSession, activity: int, language: str) -> HTMLResponse:
    nodes = row.plan["nodes"]
    if not (0 <= activity < len(nodes)) or "media" not in nodes[activity]:
        raise PlayerError(404, "notFound")
    node = nodes[activity]
    href: str = node["href"]
    # Referenced media plays from its own URL; a stored file from the session's content path.
    src = href if "://" in href else "../content/" + quote(href, safe="/")
    threshold = row.plan["settings"].get("mediaThreshold")
    data = {"activity": activity, "kind": node["media"], "threshold": 95 if threshold is None else threshold}
    texts = catalog(language)
    return render.page(
        "media.html", lang=language, title=node["title"], t=texts, kind=node["media"], src=src, media=data
    )
