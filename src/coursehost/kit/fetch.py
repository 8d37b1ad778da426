"""The one outbound downloader: streaming, timeouts, a redirect limit, a size cap, and public destinations only.

Every fetch the service makes on a client's behalf (course packages, asset files) goes through here, so the limits
are enforced in one place. Each connection, redirects included, passes :mod:`coursehost.kit.outbound`'s check.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urlsplit

import httpx

from coursehost.kit.outbound import OutboundRefused, guarded_client

if TYPE_CHECKING:
    from coursehost.config import Settings


class FetchError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FetchLimits:
    max_bytes: int
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_redirects: int = 5
    # Comma-separated hosts and CIDRs that may be reached although they are not public (COURSEHOST_OUTBOUND_ALLOW).
    outbound_allow: str = ""

    @classmethod
    def from_settings(cls, s: Settings) -> FetchLimits:
        return cls(
            s.max_upload_bytes, s.fetch_connect_timeout, s.fetch_read_timeout, s.fetch_max_redirects, s.outbound_allow
        )


def download(url: str, target: BinaryIO, limits: FetchLimits) -> int:
    """Stream ``url`` into ``target``; return the byte count or raise FetchError with a readable reason."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise FetchError(f"Fetching {url} failed: only http and https URLs can be fetched")
    timeout = httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout)
    written = 0
    try:
        with (
            guarded_client(
                limits.outbound_allow, follow_redirects=True, max_redirects=limits.max_redirects, timeout=timeout
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise FetchError(f"Fetching {url} failed: the server answered HTTP {response.status_code}")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limits.max_bytes:
                raise FetchError(f"The file at {url} is {declared} bytes, over the limit of {limits.max_bytes}")
            for chunk in response.iter_bytes(1024 * 1024):
                written += len(chunk)
                if written > limits.max_bytes:
                    raise FetchError(f"The file at {url} is larger than the limit of {limits.max_bytes} bytes")
                target.write(chunk)
    except OutboundRefused as exc:
        raise FetchError(f"Fetching {url} was refused: {exc}") from None
    except httpx.TooManyRedirects:
        raise FetchError(f"Fetching {url} failed: more than {limits.max_redirects} redirects") from None
    except httpx.TimeoutException:
        raise FetchError(f"Fetching {url} failed: the server did not answer in time") from None
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise FetchError(f"Fetching {url} failed: {exc}") from None
    return written


def download_to(url: str, path: Path, limits: FetchLimits) -> int:
    with path.open("wb") as handle:
        return download(url, handle, limits)
