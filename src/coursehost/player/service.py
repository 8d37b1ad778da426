"""Preview launch links and player sessions: what each request does, with no HTTP and no SQL."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from coursehost.content import repository as content_repo
from coursehost.content.store import ContentStore
from coursehost.context import Context
from coursehost.courses import repository as courses_repo
from coursehost.courses.service import get_version, get_visible_course
from coursehost.kit.caps import INT32_MAX, INT32_MIN
from coursehost.kit.errors import BadRequest
from coursehost.models import Course, CourseVersion, PlayerSession, utcnow
from coursehost.player import repository as repo
from coursehost.player import sessions, statements
from coursehost.player.behaviour import behaviour, resolve_values
from coursehost.player.cmi5_details import read_cmi5
from coursehost.player.manifest import read_manifest
from coursehost.player.plan import build_nodes, find_start, launchable, player_standard
from coursehost.player.schemas import LaunchLinkSchema, PreviewLaunchLinkRequestSchema

EXIT_KEYWORDS = ("closer", "blank", "message")
MAX_MANIFEST_BYTES = 16 * 1024**2
_CULTURE = re.compile(r"^[A-Za-z]{1,8}([-_][A-Za-z0-9]{1,8})*$")


def _absolute_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def check_redirect(value: str | None) -> str | None:
    """An absolute http(s) URL or a keyword; empty means "use the RedirectOnExitUrl setting"."""
    text = (value or "").strip()
    if not text:
        return None
    if text.lower() in EXIT_KEYWORDS:
        return text.lower()
    if not _absolute_url(text):
        raise BadRequest(
            f"redirectOnExitUrl '{text[:200]}' must be an absolute http(s) URL or one of: {', '.join(EXIT_KEYWORDS)}"
        )
    return text


def check_css(value: str | None) -> str | None:
    text = (value or "").strip()
    if text and not _absolute_url(text):
        raise BadRequest(f"cssUrl '{text[:200]}' must be an absolute http(s) URL")
    return text or None


def check_culture(value: str | None) -> str | None:
    text = (value or "").strip()
    if text and not _CULTURE.match(text):
        raise BadRequest(f"culture '{text[:64]}' is not a language tag such as 'en' or 'fr-FR'")
    return text or None


LAUNCH_MODE_ITEM = "cmi5LaunchMode"
LAUNCH_MODES = ("Normal", "Browse", "Review")


def check_launch_mode(values: list[dict[str, str]]) -> str:
    """The cmi5 launch mode a preview asks for with the ``cmi5LaunchMode`` additional value (docs/xapi.md,
    "Launch modes"): Normal when absent; anything but the three cmi5 modes is a 400."""
    modes = [v["value"] for v in values if v["item"] == LAUNCH_MODE_ITEM]
    if not modes:
        return "Normal"
    if len(modes) > 1 or modes[0] not in LAUNCH_MODES:
        raise BadRequest(f"additionalvalues item '{LAUNCH_MODE_ITEM}' must be given once as Normal, Browse or Review")
    return modes[0]


def build_link(
    session: Session,
    secret: bytes,
    content_url: str,
    app_pk: int,
    course_id: str,
    number: int | None,
    body: PreviewLaunchLinkRequestSchema,
    css_query: str | None,
) -> LaunchLinkSchema:
    if number is None:
        course = get_visible_course(session, app_pk, course_id)
        version = courses_repo.get_version(session, course.pk, course.latest_version or 0)
        if version is None:  # pragma: no cover - latest_version always names a row
            raise BadRequest(f"Course [{course_id}] has no version to preview")
    else:
        _course, version = get_version(session, app_pk, course_id, number)
    standard = player_standard(version.package_kind, version.learning_standard)
    options: dict[str, Any] = {
        "redirect": check_redirect(body.redirect_on_exit_url),
        "css": check_css(body.css_url or css_query),
        "culture": check_culture(body.culture),
        "start": body.start_sco or None,
        "values": [{"item": v.item, "value": v.value} for v in body.additional_values or []],
    }
    check_launch_mode(options["values"])
    find_start(build_nodes(version.root_activity, {}, standard), options["start"])
    token = sessions.sign_launch(secret, {"a": app_pk, "v": version.pk, "o": options}, body.expiry)
    return LaunchLinkSchema(launch_link=f"{content_url}/player/launch/{token}")


def open_launch(session: Session, content: ContentStore, secret: bytes, token: str) -> str:
    """Start a player session for a valid launch link; return its id."""
    payload = sessions.read_launch(secret, token)
    version = session.get(CourseVersion, int(payload["v"]))
    course = session.get(Course, version.course_pk) if version is not None else None
    if version is None or course is None or course.app_pk != payload["a"] or course.latest_version is None:
        raise sessions.PlayerError(404, "notFound")
    options: dict[str, Any] = payload["o"]
    now = utcnow()
    repo.purge_expired(session, now)
    row = PlayerSession(
        id=sessions.new_session_id(),
        app_pk=course.app_pk,
        version_pk=version.pk,
        created=now,
        seen=now,
        expires=sessions.first_expiry(now),
        options=options,
        plan=make_plan(session, content, course, version, options.get("start")),
    )
    repo.add_session(session, row)
    return row.id


def make_plan(
    session: Session, content: ContentStore, course: Course, version: CourseVersion, start_sco: str | None
) -> dict[str, Any]:
    standard = player_standard(version.package_kind, version.learning_standard)
    details: dict[str, dict[str, Any]] = {}
    if standard.startswith("scorm"):
        details = read_manifest(_stored_file(session, content, course.app_pk, version, "imsmanifest.xml"))
    elif standard == "cmi5":
        details = read_cmi5(_stored_file(session, content, course.app_pk, version, "cmi5.xml"))
    nodes = build_nodes(version.root_activity, details, standard, version_key(course, version))
    values = resolve_values(session, course.app_pk, course, version)
    try:
        start = find_start(nodes, start_sco)
    except BadRequest:
        start = None
    return {
        "standard": standard,
        "title": version.title,
        "nodes": nodes,
        "start": start,
        "settings": behaviour(values, multi=len(launchable(nodes)) > 1),
    }


def version_key(course: Course, version: CourseVersion) -> str:
    """Names a course version in the ids the LMS generates for it (cmi5)."""
    return f"{course.app_pk}/{course.course_id}/{version.number}"


def _stored_file(session: Session, content: ContentStore, app_pk: int, version: CourseVersion, name: str) -> bytes:
    found = content_repo.find_file(session, version.pk, name)
    if found is None or found.size > MAX_MANIFEST_BYTES:
        return b""
    with content.open(app_pk, found.sha256) as handle:
        return bytes(handle.read())


def exit_target(row: PlayerSession) -> str:
    """Where the learner goes on exit: the link's redirectOnExitUrl, else the setting, else a message page."""
    chosen = row.options.get("redirect") or row.plan["settings"].get("redirectOnExitUrl") or "message"
    return str(chosen)


def store_runtime(ctx: Context, session: Session, row: PlayerSession, activity: int, snapshot: Any) -> bool:
    nodes = row.plan["nodes"]
    if not (0 <= activity < len(nodes)) or not nodes[activity]["href"]:
        raise sessions.PlayerError(404, "notFound")
    sequence = snapshot.get("sequence") if isinstance(snapshot, dict) else None
    if not isinstance(sequence, int) or not INT32_MIN <= sequence <= INT32_MAX:  # the column is int32
        raise sessions.PlayerError(400, "badSnapshot")
    stored = repo.stored_snapshot(session, row.id, activity)
    if stored is not None and stored[0] >= sequence:
        return False  # a replay or a late delivery: the newer snapshot is kept, and nothing happened
    prepared = statements.prepare(session, ctx, row, activity, stored[1] if stored else None, snapshot)
    kept = repo.store_snapshot(session, row.id, activity, sequence, prepared.data, utcnow())
    if kept:
        statements.report(session, ctx, row, prepared.statements)
    return kept
