"""Who may read and write which documents (xapi/documents/access.py): permission levels and launch scopes."""

from __future__ import annotations

from typing import Any

import pytest

from coursehost.kit.errors import Forbidden
from coursehost.xapi.documents.access import check_access
from coursehost.xapi.documents.service import ACTIVITY_PROFILE, AGENT_PROFILE, STATE, Owner
from coursehost.xapi.principal import LaunchScope, Level, LrsPrincipal

LEARNER = {"objectType": "Agent", "account": {"homePage": "https://lms.example.com", "name": "learner-1"}}
SOMEONE = {"mbox": "mailto:someone@example.com"}
AUTHORITY: dict[str, Any] = {"objectType": "Agent", "mbox": "mailto:lrs@example.com"}


def principal(level: Level = Level.USER, launch: bool = False) -> LrsPrincipal:
    scope = LaunchScope("session-1", LEARNER, "9b3a8c5e-2f7d-4c1a-9e6b-0d2f4a6c8e10") if launch else None
    return LrsPrincipal(1, "APP", level, AUTHORITY, launch=scope)


def allowed(who: LrsPrincipal, owner: Owner, *, write: bool) -> bool:
    try:
        check_access(who, owner, write=write)
    except Forbidden:
        return False
    return True


@pytest.mark.parametrize("kind", [STATE, ACTIVITY_PROFILE, AGENT_PROFILE])
def test_levels(kind: str) -> None:
    owner = Owner(kind, "http://example.com/a", SOMEONE)
    for level in (Level.ROOT, Level.USER, Level.DEFAULT):
        assert allowed(principal(level), owner, write=False)
        assert allowed(principal(level), owner, write=True)
    assert allowed(principal(Level.READONLY), owner, write=False)
    assert not allowed(principal(Level.READONLY), owner, write=True)
    assert not allowed(principal(Level.WRITEONLY), owner, write=False)
    assert allowed(principal(Level.WRITEONLY), owner, write=True)


@pytest.mark.parametrize("kind", [STATE, AGENT_PROFILE])
def test_a_launch_reaches_only_its_own_actors_state_and_agent_profile(kind: str) -> None:
    launch = principal(launch=True)
    # The same identifier with a name added is the same actor.
    own = Owner(kind, "http://example.com/a", LEARNER | {"name": "Learner"})
    other = Owner(kind, "http://example.com/a", SOMEONE)
    assert allowed(launch, own, write=False)
    assert allowed(launch, own, write=True)
    assert not allowed(launch, other, write=False)
    assert not allowed(launch, other, write=True)


def test_a_launch_reads_activity_profiles_but_does_not_write_them() -> None:
    owner = Owner(ACTIVITY_PROFILE, "http://example.com/a")
    assert allowed(principal(launch=True), owner, write=False)
    assert not allowed(principal(launch=True), owner, write=True)


def test_a_readonly_launch_still_cannot_write_its_own_state() -> None:
    launch = LrsPrincipal(1, "APP", Level.READONLY, AUTHORITY, launch=principal(launch=True).launch)
    assert not allowed(launch, Owner(STATE, "http://example.com/a", LEARNER), write=True)
