"""Launch tokens (signed, expiring, unguessable) and the session cookie bound to them."""

from __future__ import annotations

import time

import pytest

from coursehost.player.sessions import PlayerError, cookie_value, read_launch, sign_launch

SECRET = b"secret"


def test_round_trip_and_nonce() -> None:
    token = sign_launch(SECRET, {"a": 1, "v": 2, "o": {}}, 120)
    payload = read_launch(SECRET, token)
    assert (payload["a"], payload["v"]) == (1, 2)
    assert payload["exp"] >= int(time.time()) + 119
    assert sign_launch(SECRET, {"a": 1}, 120) != sign_launch(SECRET, {"a": 1}, 120)


def test_expired_and_tampered() -> None:
    with pytest.raises(PlayerError) as caught:
        read_launch(SECRET, sign_launch(SECRET, {"a": 1}, -1))
    assert (caught.value.status, caught.value.key) == (410, "expiredLink")
    for token in (sign_launch(b"other", {"a": 1}, 120), "x", "a.b", sign_launch(SECRET, {"a": 1}, 120) + "x"):
        with pytest.raises(PlayerError) as caught:
            read_launch(SECRET, token)
        assert (caught.value.status, caught.value.key) == (403, "invalidLink")


def test_cookie_is_bound_to_the_session_and_key() -> None:
    assert cookie_value(SECRET, "a") != cookie_value(SECRET, "b")
    assert cookie_value(SECRET, "a") != cookie_value(b"other", "a")
