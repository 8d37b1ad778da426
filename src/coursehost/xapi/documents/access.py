"""Who may read and write which documents (docs/xapi.md, "Documents")."""

from __future__ import annotations

from coursehost.kit.errors import Forbidden
from coursehost.xapi.agents import agent_key
from coursehost.xapi.documents.service import ACTIVITY_PROFILE, Owner
from coursehost.xapi.principal import LrsPrincipal


def check_access(principal: LrsPrincipal, owner: Owner, *, write: bool) -> None:
    """READONLY credentials write nothing, WRITEONLY ones read nothing. A launch's credential reaches only its own
    actor's state and agent profile, and reads (never writes) activity profiles, which every learner shares."""
    if write and not principal.may_write:
        raise Forbidden(f"This credential's permission level ({principal.level}) may not write documents")
    if not write and not principal.may_read:
        raise Forbidden(f"This credential's permission level ({principal.level}) may not read documents")
    launch = principal.launch
    if launch is None:
        return
    if owner.kind == ACTIVITY_PROFILE:
        if write:
            raise Forbidden("A launch's credential may not write activity profiles")
        return
    if owner.agent_key != agent_key(launch.actor):
        raise Forbidden("A launch's credential reaches only its own actor's documents")
