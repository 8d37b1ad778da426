"""What is on disk under a test's data directory."""

from __future__ import annotations

from pathlib import Path

from coursehost.storage.scratch import LOCK_NAME


def stored_files(data_dir: Path, *areas: str) -> list[Path]:
    """Regular files under the given storage areas (default: blobs, incoming uploads, temporary files), but for the
    lock file each process's temporary folder holds (storage/scratch.py)."""
    roots = [data_dir / area for area in (areas or ("blobs", "incoming", "tmp"))]
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file() and p.name != LOCK_NAME]


def stored_bytes(data_dir: Path) -> set[bytes]:
    return {p.read_bytes() for p in stored_files(data_dir, "blobs")}
