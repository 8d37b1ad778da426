"""A preview's identity in the LRS (xapi/launch.py)."""

from __future__ import annotations

import uuid

from coursehost.xapi.agents import agent_key
from coursehost.xapi.launch import launch_principal, player_principal, preview_actor, session_registration
from coursehost.xapi.principal import Level


def test_a_sessions_registration_is_a_stable_uuid_of_its_own() -> None:
    first = session_registration("session-a")
    assert str(uuid.UUID(first)) == first
    assert session_registration("session-a") == first
    assert session_registration("session-b") != first


def test_the_preview_actor_is_an_account_on_the_lrs_home_page() -> None:
    actor = preview_actor("https://courses.example.com/", "app1")
    assert actor["account"] == {"homePage": "https://courses.example.com/lrs/app1", "name": "preview"}
    assert agent_key(actor) == "account:https://courses.example.com/lrs/app1 preview"


def test_the_launch_credential_is_limited_to_its_session_and_the_player_is_root() -> None:
    launch = launch_principal(7, "app1", "http://h", "session-a", "https://example.com/au/1")
    assert launch.level is Level.DEFAULT
    assert launch.reads_only_its_own
    assert launch.launch is not None
    assert launch.launch.registration == session_registration("session-a")
    assert launch.launch.actor == preview_actor("http://h", "app1")
    assert launch.launch.activity_id == "https://example.com/au/1"
    player = player_principal(7, "app1", "http://h")
    assert (player.level, player.launch, player.reads_only_its_own) == (Level.ROOT, None, False)
    assert player.authority["account"] == {"homePage": "http://h", "name": "app1"}
