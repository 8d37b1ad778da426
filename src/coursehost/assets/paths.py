"""Asset paths are relative to the course root. Anything that could name a file outside it is refused."""

from __future__ import annotations

import unicodedata

from coursehost.kit.errors import BadRequest

MAX_PATH = 1024


def course_path(raw: str | None, name: str) -> str:
    """Normalise ``raw`` (a leading ``/`` is allowed) into a course-relative posix path, or raise 400."""
    if raw is None or not raw.strip():
        raise BadRequest(f"'{name}' is required: a path relative to the course root, such as /images/logo.png")
    path = raw.strip().removeprefix("/")
    problem = None
    if len(path) > MAX_PATH:
        problem = f"is longer than {MAX_PATH} characters"
    elif "\\" in path:
        problem = "contains a backslash; use '/' between folders"
    elif any(unicodedata.category(ch) == "Cc" for ch in path):
        problem = "contains control characters"
    elif path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        problem = "is absolute"
    elif any(part in ("", ".", "..") for part in path.split("/")):
        problem = "has an empty, '.' or '..' segment"
    if problem:
        raise BadRequest(f"'{name}' {problem} (got {raw!r})")
    return path
