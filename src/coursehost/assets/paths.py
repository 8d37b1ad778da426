"""Asset paths are relative to the course root. Anything that could name a file outside it is refused."""

from __future__ import annotations

import unicodedata

from coursehost.kit.caps import path_too_long
from coursehost.kit.errors import BadRequest


def course_path(raw: str | None, name: str) -> str:
    """Normalise ``raw`` (a leading ``/`` is allowed) into a course-relative posix path, or raise 400."""
    if raw is None or not raw.strip():
        raise BadRequest(f"'{name}' is required: a path relative to the course root, such as /images/logo.png")
    path = raw.strip().removeprefix("/")
    problem = path_too_long(path) or _shape_problem(path)
    if problem:
        shown = raw if len(raw) <= 200 else raw[:200] + "…"
        raise BadRequest(f"'{name}' {problem} (got {shown!r})")
    return path


def _shape_problem(path: str) -> str | None:
    if "\\" in path:
        return "contains a backslash; use '/' between folders"
    if any(unicodedata.category(ch) == "Cc" for ch in path):
        return "contains control characters"
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return "is absolute"
    if any(part in ("", ".", "..") for part in path.split("/")):
        return "has an empty, '.' or '..' segment"
    return None
