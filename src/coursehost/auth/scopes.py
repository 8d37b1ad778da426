"""Which OAuth scopes an operation accepts, derived from its method and path template.

One rule serves the auth dependency and the served OpenAPI document, so every operation (including ones added
later) is covered without naming scopes in each endpoint. Following the reference (§2a): reads take ``read`` or
``read:<resource>``, writes ``write``/``write:<resource>``, deletes ``delete``/``delete:<resource>``; ``admin`` is
accepted everywhere. Preview POSTs only read. Tag and configuration-setting DELETEs change a course rather than
remove it, and SCORM Cloud's own scope for them is unknown, so they take either family. Course operations'
resource is ``course``; ``/appManagement/…`` operations' is ``appmgmt`` and ``/xapi/credentials…`` operations'
``xapicredential`` (as SCORM Cloud's swagger declares).
The token endpoints take the application's key and secret only: a token cannot mint a longer-lived token.
"""

from __future__ import annotations

import re
from functools import lru_cache

ADMIN = "admin"
# Every scope SCORM Cloud documents for the resources this service has, for the OpenAPI document.
DESCRIPTIONS = {
    "read": "read access",
    "write": "write access",
    "delete": "delete access",
    ADMIN: "read, write and delete access",
    "read:course": "read course methods",
    "write:course": "write course methods",
    "delete:course": "delete course methods",
    "read:appmgmt": "read application management",
    "write:appmgmt": "write application management",
    "delete:appmgmt": "delete application management",
    "read:xapicredential": "read xAPI credentials",
    "write:xapicredential": "write xAPI credentials",
    "delete:xapicredential": "delete xAPI credentials",
}
TOKEN_PATHS = ("/oauth/authenticate/application/token", "/appManagement/token")
_SETTING_DELETE = re.compile(r"/configuration/[^/]+$")
# What a token request may name: SCORM Cloud's scope grammar. Scopes of resources this service does not have (such
# as read:registration) are accepted, so clients asking for them keep working, but grant nothing here.
SCOPE_PATTERN = re.compile(r"^(admin|(read|write|delete)(:[a-z][a-z_]{0,30})?)$")


def _resource(path: str) -> str:
    if "/appManagement/" in path:
        return "appmgmt"
    if "/xapi/credentials" in path:
        return "xapicredential"
    return "course"


@lru_cache(maxsize=1024)  # asked on every request, of a few dozen route templates
def required_scopes(method: str, path: str) -> tuple[str, ...] | None:
    """The scopes any one of which lets a token call ``method path`` (most specific first), or None when the
    operation takes Basic credentials only. ``path`` is the route's template or the request path."""
    path = path.rstrip("/")
    if path.endswith(TOKEN_PATHS):
        return None
    resource = _resource(path)
    method = method.upper()
    if method in ("GET", "HEAD", "OPTIONS") or (method == "POST" and path.endswith("/preview")):
        verbs: tuple[str, ...] = ("read",)
    elif method == "DELETE":
        either = path.endswith("/tags") or bool(_SETTING_DELETE.search(path))
        verbs = ("delete", "write") if either else ("delete",)
    else:
        verbs = ("write",)
    return (*(f"{verb}:{resource}" for verb in verbs), *verbs, ADMIN)


def describe(accepted: tuple[str, ...]) -> str:
    return ", ".join(accepted[:-1]) + f" or {accepted[-1]}" if len(accepted) > 1 else accepted[0]
