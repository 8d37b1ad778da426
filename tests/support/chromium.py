"""The headless Chromium every browser test, the player bench and the corpus harness drive (Debian's package)."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("COURSEHOST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
