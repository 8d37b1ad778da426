"""Temporary files a crash cannot leave behind for good (storage/scratch.py): what a sweep keeps and removes."""

from __future__ import annotations

import os
import time
from pathlib import Path

from coursehost.storage.scratch import LOCK_NAME, LOOSE_FILE_SECONDS, STAGING_PREFIX, ScratchSpace


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_nothing_is_made_until_a_file_is_needed(tmp_path: Path) -> None:
    space = ScratchSpace(tmp_path / "tmp")
    assert list((tmp_path / "tmp").iterdir()) == []
    handle, path = space.new_file()
    handle.close()
    assert path.parent.parent == tmp_path / "tmp"
    assert (path.parent / LOCK_NAME).exists()
    assert not path.parent.name.startswith(STAGING_PREFIX)
    space.close()
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_collected_space_is_swept_by_the_next(tmp_path: Path) -> None:
    parent = tmp_path / "tmp"
    space = ScratchSpace(parent)
    handle, path = space.new_file()
    handle.write(b"12345")
    handle.close()
    del space  # the object went away without close(): its lock goes with it
    assert ScratchSpace(parent).sweep_abandoned() == 5
    assert not path.exists()


def test_loose_files_and_unfinished_folders_are_removed_only_when_old(tmp_path: Path) -> None:
    parent = tmp_path / "tmp"
    parent.mkdir()
    old_loose = parent / "tmpabc"  # what versions before this layout left
    old_loose.write_bytes(b"x" * 10)
    young_loose = parent / "tmpdef"
    young_loose.write_bytes(b"y")
    starting = parent / f"{STAGING_PREFIX}123"  # a folder being set up right now
    starting.mkdir()
    unlocked = parent / "99-cafe"  # a folder whose removal was cut short
    unlocked.mkdir()
    (unlocked / "part").write_bytes(b"z" * 3)
    age(old_loose, LOOSE_FILE_SECONDS + 60)
    age(unlocked, LOOSE_FILE_SECONDS + 60)
    assert ScratchSpace(parent).sweep_abandoned() == 13
    assert sorted(p.name for p in parent.iterdir()) == sorted([young_loose.name, starting.name])
