"""Who a preview is, to the LRS: the actor and registration every launch of the preview player reports with, and the
principals that write its statements (the player itself, and the launched content's session-limited credential).

A preview is not a learner's attempt: its statements carry the application's preview actor (an account on the
LRS's own home page, so no real learner's identifier can ever equal it) and a registration of its own, derived from
the player session, so nothing a preview records is counted with a learner's progress.
"""

from __future__ import annotations

import uuid
from typing import Any

from coursehost.xapi.principal import LaunchScope, Level, LrsPrincipal

# A fixed namespace: a player session's registration is the same every time it is derived.
_REGISTRATIONS = uuid.UUID("6f1b2c1e-4c7a-5d0e-9a57-2f3c8b0d7e41")
PREVIEW_NAME = "preview"


def lrs_home(public_url: str, app_id: str) -> str:
    return f"{public_url.rstrip('/')}/lrs/{app_id}"


def preview_actor(public_url: str, app_id: str) -> dict[str, Any]:
    return {
        "objectType": "Agent",
        "name": "Preview",
        "account": {"homePage": lrs_home(public_url, app_id), "name": PREVIEW_NAME},
    }


def session_registration(session_id: str) -> str:
    return str(uuid.uuid5(_REGISTRATIONS, session_id))


def player_principal(app_pk: int, app_id: str, public_url: str) -> LrsPrincipal:
    """The player writing its own statements (cmi5's launched/satisfied/abandoned, the SCORM profile's): the
    application's authority, at ROOT."""
    authority = {"objectType": "Agent", "account": {"homePage": public_url.rstrip("/"), "name": app_id}}
    return LrsPrincipal(app_pk, app_id, Level.ROOT, authority)


def launch_principal(
    app_pk: int, app_id: str, public_url: str, session_id: str, activity_id: str | None = None
) -> LrsPrincipal:
    """The credential launched content reports with: one session's actor and registration, nothing else."""
    scope = LaunchScope(
        session_id=session_id,
        actor=preview_actor(public_url, app_id),
        registration=session_registration(session_id),
        activity_id=activity_id,
    )
    authority = {"objectType": "Agent", "account": {"homePage": lrs_home(public_url, app_id), "name": "launch"}}
    return LrsPrincipal(app_pk, app_id, Level.DEFAULT, authority, launch=scope)
