"""AICC HACP (CMI001 appendix A): the HTTP messages an AICC AU sends to ``aicc_url`` with its ``aicc_sid``.

Each AU launch gets an ``aicc_sid`` naming the player session and the activity, signed with the server key, so the
AU needs no cookie (HACP is often posted by content that is not same-origin). The AU's state is kept as a snapshot
in ``player_runtime`` like a SCORM SCO's, shaped like SCORM 1.2's ``cmi`` so the player marks status the same way.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import re
from typing import Any

from sqlalchemy.orm import Session

from coursehost.context import Context
from coursehost.models import utcnow
from coursehost.player import repository as repo
from coursehost.player import statements
from coursehost.player.sessions import PlayerError, check_alive

VERSION = "2.2"
COMMANDS = ("getparam", "putparam", "putcomments", "putobjectives", "putpath", "putperformance", "putinteractions")
RAW_BLOCKS = {
    "putcomments": "comments",
    "putobjectives": "objectives",
    "putpath": "path",
    "putperformance": "performance",
    "putinteractions": "interactions",
}
STATUS = {
    "p": "passed",
    "c": "completed",
    "f": "failed",
    "i": "incomplete",
    "b": "browsed",
    "n": "not attempted",
}
EXIT_FLAGS = {"s": "suspend", "l": "logout", "t": "time-out"}
_TIME = re.compile(r"^(\d{1,4}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,2}))?$")


def aicc_sid(secret: bytes, session_id: str, activity: int) -> str:
    base = f"{session_id}x{activity}"
    return f"{base}x{_mac(secret, base)}"


def _mac(secret: bytes, base: str) -> str:
    return hmac.new(secret, f"hacp.{base}".encode(), hashlib.sha256).hexdigest()[:24]


def parse_sid(secret: bytes, sid: str) -> tuple[str, int] | None:
    parts = sid.strip().split("x")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    if not hmac.compare_digest(parts[2], _mac(secret, f"{parts[0]}x{parts[1]}")):
        return None
    return parts[0], int(parts[1])


def response(error: int, text: str, data: str | None = None) -> str:
    lines = [f"error={error}", f"error_text={text}", f"version={VERSION}"]
    if data is not None:
        lines.append("aicc_data=")
        lines.append(data)
    return "\r\n".join(lines) + "\r\n"


def centiseconds(value: str) -> int | None:
    match = _TIME.match(value.strip())
    if match is None:
        return None
    hours, minutes, seconds, fraction = match.groups()
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 100 + int((fraction or "0").ljust(2, "0"))


def timespan(value: int) -> str:
    seconds, _ = divmod(value, 100)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


def parse_data(text: str) -> dict[str, Any]:
    """An INI-style aicc_data block: keys of each section lower-cased; free-text sections kept whole."""
    sections: dict[str, Any] = {}
    current = ""
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            current = stripped[1:-1].strip().lower()
            sections.setdefault(current, {} if current not in ("core_lesson", "comments") else [])
            continue
        block = sections.get(current)
        if isinstance(block, list):
            block.append(line)
        elif isinstance(block, dict) and "=" in stripped:
            key, value = stripped.split("=", 1)
            block[key.strip().lower()] = value.strip()
    return {k: "\n".join(v).strip("\n") if isinstance(v, list) else v for k, v in sections.items()}


def fresh_state() -> dict[str, Any]:
    core = {"lesson_location": "", "lesson_status": "not attempted", "score": "", "total_time": "00:00:00"}
    core |= {"session_time": "", "exit": "", "entry": "ab-initio"}
    cmi = {"core": core, "suspend_data": "", **dict.fromkeys(RAW_BLOCKS.values(), "")}
    return {"standard": "aicc", "sequence": 0, "terminated": False, "reason": "", "cmi": cmi}


def handle(ctx: Context, session: Session, form: dict[str, str]) -> str:
    fields = {key.lower(): value for key, value in form.items()}
    command = fields.get("command", "").strip().lower()
    if command not in (*COMMANDS, "exitau"):
        return response(1, "Invalid Command")
    parsed = parse_sid(ctx.settings.resolved_secret_key, fields.get("session_id", ""))
    row = repo.get_session(session, parsed[0]) if parsed else None
    if parsed is None or row is None:
        return response(3, "Invalid Session ID")
    try:
        check_alive(row, utcnow())
    except PlayerError:
        return response(3, "Invalid Session ID")
    activity = parsed[1]
    nodes = row.plan["nodes"]
    if activity >= len(nodes) or not nodes[activity].get("href"):
        return response(3, "Invalid Session ID")
    stored = repo.stored_snapshot(session, row.id, activity)
    # A copy: the stored data stays as it was, to compare the new state with (player/statements.py).
    state = copy.deepcopy(stored[1]) if stored else fresh_state()
    changed = begin(state)
    if command != "getparam":
        apply(state, command, fields.get("aicc_data", ""))
        changed = True
    if changed:
        state["sequence"] = int(state.get("sequence", 0)) + 1
        state["reason"] = command
        state["savedAt"] = utcnow().isoformat()
        prepared = statements.prepare(session, ctx, row, activity, stored[1] if stored else None, state)
        if repo.store_snapshot(session, row.id, activity, state["sequence"], prepared.data, utcnow()):
            statements.report(session, ctx, row, prepared.statements)
    if command == "getparam":
        return response(0, "Successful", get_param(state, nodes[activity], row.plan["title"]))
    return response(0, "Successful")


def begin(state: dict[str, Any]) -> bool:
    """Start a new AU session at its first message after a launch: entry comes from how the last one ended."""
    if state.get("open"):
        return False
    core = state["cmi"]["core"]
    core["entry"] = "resume" if core.get("exit") == "suspend" else ("ab-initio" if not state.get("sequence") else "")
    core["exit"] = ""
    state["open"] = True
    state["terminated"] = False
    return True


def get_param(state: dict[str, Any], node: dict[str, Any], course_title: str) -> str:
    cmi = state["cmi"]
    core = cmi["core"]
    entry = core.get("entry", "")
    status = core.get("lesson_status") or "not attempted"
    data = node.get("data") or {}
    lines = [
        "[Core]",
        "Student_ID=coursehost-preview",
        "Student_Name=Learner, Preview",
        f"Lesson_Location={core.get('lesson_location', '')}",
        "Credit=credit",
        f"Lesson_Status={status}{',' + entry if entry else ''}",
        f"Score={core.get('score', '')}",
        f"Time={core.get('total_time') or '00:00:00'}",
        "Lesson_Mode=normal",
        "[Core_Lesson]",
        cmi.get("suspend_data", ""),
        "[Core_Vendor]",
        data.get("launchData", ""),
        "[Student_Data]",
        f"Mastery_Score={data.get('masteryScore', '')}",
        f"Max_Time_Allowed={data.get('maxTimeAllowed', '')}",
        f"Time_Limit_Action={data.get('timeLimitAction', '')}",
        "[Evaluation]",
        f"Course_ID={course_title}",
    ]
    return "\r\n".join(lines)


def apply(state: dict[str, Any], command: str, aicc_data: str) -> None:
    cmi = state["cmi"]
    core = cmi["core"]
    if command in RAW_BLOCKS:
        cmi[RAW_BLOCKS[command]] = aicc_data
        return
    if command == "exitau":
        total = (centiseconds(core.get("total_time", "")) or 0) + (centiseconds(core.get("session_time", "")) or 0)
        core["total_time"] = timespan(total)
        core["session_time"] = ""
        state["terminated"] = True
        state["open"] = False
        return
    data = parse_data(aicc_data)
    given = data.get("core", {})
    if "lesson_location" in given:
        core["lesson_location"] = given["lesson_location"][:255]
    if "lesson_status" in given:
        status, _, flag = given["lesson_status"].partition(",")
        if status.strip()[:1].lower() in STATUS:
            core["lesson_status"] = STATUS[status.strip()[:1].lower()]
        core["exit"] = EXIT_FLAGS.get(flag.strip()[:1].lower(), "")
    if "score" in given:
        core["score"] = given["score"]
    if "time" in given and centiseconds(given["time"]) is not None:
        core["session_time"] = given["time"]
    if "core_lesson" in data:
        cmi["suspend_data"] = data["core_lesson"]
