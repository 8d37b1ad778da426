"""Declares authentication in the served OpenAPI document, from the same rule the auth dependency enforces.

Schemes are named as in SCORM Cloud's swagger: ``APP_NORMAL`` (HTTP Basic, appId:secretKey) and ``OAUTH`` (bearer
tokens from getAppToken). Each operation lists its alternatives one per entry (``[{APP_NORMAL: []}, {OAUTH:
[read:course]}, {OAUTH: [read]}, …]``): any one of them is enough, where one entry naming several scopes would
demand them all. The 401, 403 and 429 answers are declared with the other error statuses (``kit/openapi.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coursehost.auth.scopes import DESCRIPTIONS, required_scopes
from coursehost.kit.openapi import operations


def security(token_url: str) -> Callable[[dict[str, Any]], None]:
    """A document step (:func:`coursehost.kit.openapi.install`) declaring the schemes and each operation's."""

    def add_security(document: dict[str, Any]) -> None:
        components = document.setdefault("components", {})
        components["securitySchemes"] = {
            "APP_NORMAL": {
                "type": "http",
                "scheme": "basic",
                "description": "username = application id, password = secret key",
            },
            "OAUTH": {
                "type": "oauth2",
                "description": "Bearer token from getAppToken or createToken",
                "flows": {"clientCredentials": {"tokenUrl": token_url, "scopes": dict(DESCRIPTIONS)}},
            },
        }
        for op in operations(document):
            accepted = required_scopes(op.method, op.path)
            op.spec["security"] = [{"APP_NORMAL": []}, *({"OAUTH": [scope]} for scope in accepted or ())]

    return add_security
