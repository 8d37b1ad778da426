"""The origin rules of kit/origins.py, as pure functions."""

from __future__ import annotations

import pytest
from starlette.datastructures import Headers

from coursehost.kit.origins import OriginPolicy, host_key, origin_of, page_request_refusal


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("HTTPS://Content.Example.org:443/base/", "https://content.example.org"),
        ("http://example.org:80", "http://example.org"),
        ("http://example.org:443", "http://example.org:443"),
        ("http://[::1]:8000/", "http://[::1]:8000"),
    ],
)
def test_origin_of(url: str, origin: str) -> None:
    assert origin_of(url) == origin


def test_host_key_drops_only_the_schemes_default_port() -> None:
    assert host_key("Example.org:443", "https") == "example.org"
    assert host_key("example.org:443", "http") == "example.org:443"
    assert host_key("[::1]:80", "http") == "[::1]"


def test_same_origin_for_one_server_is_not_separate() -> None:
    assert not OriginPolicy.build("http://127.0.0.1:8000", "http://127.0.0.1:8000/").separate
    split = OriginPolicy.build("http://127.0.0.1:8000", "http://localhost:8000")
    assert split.separate
    assert split.content_host == "localhost:8000"


@pytest.mark.parametrize(
    ("headers", "refused_together", "refused_split"),
    [
        ({}, False, False),
        ({"sec-fetch-site": "none"}, False, False),
        ({"sec-fetch-mode": "cors"}, False, False),
        ({"sec-fetch-site": "same-origin"}, True, False),
        ({"sec-fetch-site": "same-origin", "origin": "http://api.test"}, True, False),
        ({"sec-fetch-site": "same-origin", "origin": "http://content.test"}, True, True),
        ({"sec-fetch-site": "same-site"}, True, True),
        ({"sec-fetch-site": "cross-site"}, True, True),
        ({"origin": "null"}, True, True),
        ({"origin": "http://api.test"}, True, False),
    ],
)
def test_page_requests(headers: dict[str, str], refused_together: bool, refused_split: bool) -> None:
    together = OriginPolicy.build("http://api.test", "http://api.test")
    split = OriginPolicy.build("http://api.test", "http://content.test")
    assert (page_request_refusal(together, Headers(headers), "http://api.test") is not None) is refused_together
    assert (page_request_refusal(split, Headers(headers), "http://api.test") is not None) is refused_split
