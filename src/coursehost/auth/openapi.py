"""Declares authentication in the served OpenAPI document, from the same rule the auth dependency enforces.

Schemes are named as in SCORM Cloud's swagger: ``APP_NORMAL`` (HTTP Basic, appId:secretKey) and ``OAUTH`` (bearer
tokens from getAppToken). Each operation lists its alternatives one per entry (``[{APP_NORMAL: []}, {OAUTH:
[read:course]}, {OAUTH: [read]}, …]``): any one of them is enough, where one entry naming several scopes would
demand them all.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from coursehost.auth.scopes import DESCRIPTIONS, required_scopes

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
ERRORS = {
    "401": "Missing, wrong or expired credentials",
    "403": "A bearer token without a scope this operation accepts (token operations take Basic credentials only)",
    "429": "Too many failed authentications from this address or for this application (see Retry-After)",
}


def add_security(schema: dict[str, Any], token_url: str) -> dict[str, Any]:
    components = schema.setdefault("components", {})
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
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if method not in METHODS or not isinstance(operation, dict):
                continue
            accepted = required_scopes(method, path)
            operation["security"] = [{"APP_NORMAL": []}, *({"OAUTH": [scope]} for scope in accepted or ())]
            responses = operation.setdefault("responses", {})
            for status, text in ERRORS.items():
                responses.setdefault(status, {"description": text})
    return schema


def install(app: FastAPI, api_prefix: str) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = add_security(generate(), f"{api_prefix}/oauth/authenticate/application/token")
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
