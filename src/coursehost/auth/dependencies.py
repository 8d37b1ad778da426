"""HTTP Basic authentication with an application's id and secret key (SCORM Cloud's APP_NORMAL)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from coursehost.auth.service import authenticate
from coursehost.context import ContextDep
from coursehost.kit.errors import Unauthorized


@dataclass(frozen=True)
class AppIdentity:
    pk: int
    app_id: str


def _credentials(header: str) -> tuple[str, str] | None:
    # The Python client may put Basic and Bearer in one header; take the Basic part.
    for part in header.split(","):
        scheme, _, value = part.strip().partition(" ")
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return None
            user, sep, secret = decoded.partition(":")
            return (user, secret) if sep else None
    return None


def current_app(request: Request, ctx: ContextDep) -> AppIdentity:
    creds = _credentials(request.headers.get("authorization", ""))
    if creds is None:
        raise Unauthorized("Authorization Required.")
    with ctx.db.session() as session:
        app = authenticate(session, *creds)
        if app is None:
            raise Unauthorized("Authorization Required.")
        return AppIdentity(pk=app.pk, app_id=app.app_id)


AppDep = Annotated[AppIdentity, Depends(current_app)]
