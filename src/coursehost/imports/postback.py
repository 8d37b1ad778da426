"""Import postbacks: when a job ends, its ImportJobResultSchema JSON is POSTed to the caller's ``postbackUrl``.

Delivery runs on its own thread with exponential backoff; its outcome is only logged, so a failing receiver never
changes the job's result or holds up the next import.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import httpx

log = logging.getLogger(__name__)


def deliver(url: str, payload: dict[str, Any], attempts: int, backoff: float, timeout: float) -> bool:
    for attempt in range(attempts):
        try:
            response = httpx.post(url, json=payload, timeout=timeout, follow_redirects=False)
            if response.status_code < 400:
                return True
            log.warning("postback to %s answered HTTP %s (attempt %d)", url, response.status_code, attempt + 1)
        except httpx.HTTPError as exc:
            log.warning("postback to %s failed: %s (attempt %d)", url, exc, attempt + 1)
        if attempt + 1 < attempts:
            time.sleep(backoff * (2**attempt))
    return False


def send_in_background(url: str, payload: dict[str, Any], attempts: int, backoff: float, timeout: float) -> None:
    thread = threading.Thread(
        target=deliver, args=(url, payload, attempts, backoff, timeout), name="postback", daemon=True
    )
    thread.start()
