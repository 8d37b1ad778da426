"""Import postbacks: when a job ends, its ImportJobResultSchema JSON is POSTed to the caller's ``postbackUrl``.

Delivery runs on its own thread with exponential backoff; its outcome is only logged, so a failing receiver never
changes the job's result or holds up the next import. The receiver must be a public address (or allow-listed), like
every outbound request, and log lines show the URL without its user info or query, which may carry credentials.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import httpx

from coursehost.kit.outbound import OutboundRefused, guarded_client, redact_url

log = logging.getLogger(__name__)


def deliver(
    url: str, payload: dict[str, Any], attempts: int, backoff: float, timeout: float, outbound_allow: str = ""
) -> bool:
    shown = redact_url(url)
    with guarded_client(outbound_allow, timeout=timeout, follow_redirects=False) as client:
        for attempt in range(attempts):
            try:
                response = client.post(url, json=payload)
                if response.status_code < 400:
                    return True
                log.warning("postback to %s answered HTTP %s (attempt %d)", shown, response.status_code, attempt + 1)
            except OutboundRefused as exc:
                log.warning("postback to %s refused: %s", shown, exc)
                return False
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                log.warning("postback to %s failed: %s (attempt %d)", shown, type(exc).__name__, attempt + 1)
            if attempt + 1 < attempts:
                time.sleep(backoff * (2**attempt))
    return False


def send_in_background(
    url: str, payload: dict[str, Any], attempts: int, backoff: float, timeout: float, outbound_allow: str = ""
) -> None:
    thread = threading.Thread(
        target=deliver, args=(url, payload, attempts, backoff, timeout, outbound_allow), name="postback", daemon=True
    )
    thread.start()
