"""Launch tokens (signed, expiring, unguessable) and the byte ranges the content route serves."""

from __future__ import annotations

import time

import pytest

from coursehost.player.files import parse_range
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


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("bytes=0-9", (0, 9)),
        ("bytes=5-", (5, 99)),
        ("bytes=90-200", (90, 99)),
        ("bytes=-10", (90, 99)),
        ("bytes=-", None),
        ("bytes=100-", False),
        ("bytes=9-5", False),
        ("bytes=0-1,5-6", None),
        ("items=0-1", None),
    ],
)
def test_parse_range(header: str | None, expected: object) -> None:
    assert parse_range(header, 100) == expected
