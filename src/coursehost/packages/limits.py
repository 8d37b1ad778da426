"""The caps a package is opened under (``COURSEHOST_ZIP_*`` and the descriptor size, docs/decisions.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ArchiveLimits:
    max_entries: int = 10_000
    max_total_bytes: int = 4 * 1024**3
    max_ratio: int = 200
    max_descriptor_bytes: int = 16 * 1024**2
