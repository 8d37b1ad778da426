"""How zip entry names become course file names: decoded, normalised and checked for path tricks."""

from __future__ import annotations

import re
import zipfile

from coursehost.packages.base import PackageError

_DRIVE = re.compile(r"^[A-Za-z]:")
_FLAG_UTF8 = 0x800


def renamed_note(examples: list[tuple[str, str]], problem: str, fix: str) -> str | None:
    """One warning for every entry name that needed the same repair, or None if none did."""
    if not examples:
        return None
    (raw, name), count = examples[0], len(examples)
    entries = "1 zip entry name" if count == 1 else f"{count} zip entry names"
    return f"{entries} {problem.format(s='s' if count == 1 else '')} (e.g. '{raw}'); {fix} ('{name}')."


def display_name(info: zipfile.ZipInfo) -> tuple[str, bool]:
    """The entry's name, and whether its bytes were neither flagged nor valid UTF-8 (so read as CP437 for now).

    Zips written without the UTF-8 flag are decoded as CP437 by zipfile, but most such tools really wrote UTF-8;
    undoing that keeps non-ASCII file names matching the hrefs in the manifest.
    """
    name = info.orig_filename
    if info.flag_bits & _FLAG_UTF8:
        return name, False
    try:
        return name.encode("cp437").decode("utf-8"), False
    except UnicodeError:
        return name, True


def normalise(raw: str) -> str:
    """``raw`` with '/' separators and no '.' or empty parts; anything that could point outside is refused."""
    if "\x00" in raw:
        shown = raw.replace("\x00", "\\x00")
        raise PackageError(f"The zip entry '{shown}' has a NUL byte in its name")
    name = raw.replace("\\", "/")
    if name.startswith("/") or _DRIVE.match(name):
        raise PackageError(f"The zip entry '{raw}' has an absolute path; entries must be relative to the zip root")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise PackageError(f"The zip entry '{raw}' points outside the package ('..' in its path)")
    return "/".join(parts)


def is_macos_litter(name: str) -> bool:
    """Resource forks macOS adds when it zips a folder: never course content, and often a second manifest."""
    return name.split("/", 1)[0] == "__MACOSX" or name.rsplit("/", 1)[-1].startswith("._")
