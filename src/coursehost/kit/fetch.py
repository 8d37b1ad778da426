"""The one outbound downloader: streaming, timeouts, a redirect limit and a size cap.

Every fetch the service makes on a client's behalf (course packages now, asset files later) goes through here,
so the limits are enforced in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import httpx


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


def download(url: str, target: BinaryIO, limits: FetchLimits, client: httpx.Client | None = None) -> int:
    """Stream ``url`` into ``target``; return the byte count or raise FetchError with a readable reason."""
    timeout = httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout)
    own = client is None
    client = client or httpx.Client(follow_redirects=True, max_redirects=limits.max_redirects, timeout=timeout)
    written = 0
    try:
        with client.stream("GET", url) as response:
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
    except httpx.TooManyRedirects:
        raise FetchError(f"Fetching {url} failed: more than {limits.max_redirects} redirects") from None
    except httpx.TimeoutException:
        raise FetchError(f"Fetching {url} failed: the server did not answer in time") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"Fetching {url} failed: {exc}") from None
    finally:
        if own:
            client.close()
    return written


def download_to(url: str, path: Path, limits: FetchLimits) -> int:
    with path.open("wb") as handle:
        return download(url, handle, limits)
