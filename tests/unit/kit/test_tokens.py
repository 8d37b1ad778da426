from __future__ import annotations

import pytest

from coursehost.kit import tokens
from coursehost.kit.errors import BadRequest


def test_round_trip() -> None:
    token = tokens.sign(b"k", "p", {"a": 1, "b": ["x"]})
    assert tokens.unsign(b"k", "p", token) == {"a": 1, "b": ["x"]}


@pytest.mark.parametrize("mutate", [lambda t: t + "x", lambda t: "A" + t[1:], lambda t: t.split(".")[0], lambda t: ""])
def test_tampering_is_rejected(mutate: object) -> None:
    token = tokens.sign(b"k", "p", {"a": 1})
    with pytest.raises(BadRequest):
        tokens.unsign(b"k", "p", mutate(token))  # type: ignore[operator]


def test_other_key_or_purpose_is_rejected() -> None:
    token = tokens.sign(b"k", "p", {"a": 1})
    with pytest.raises(BadRequest):
        tokens.unsign(b"other", "p", token)
    with pytest.raises(BadRequest):
        tokens.unsign(b"k", "other", token)
