"""The files of a course as its parser sees them, with the lookups that forgive sloppy packages.

An href that names a file with the wrong letter case, or in a different encoding than the zip stored its name,
still finds the file. Re-decoding names is a repair of the whole package, so it is one warning, not one per file.
"""

from __future__ import annotations

from typing import Protocol

from coursehost.packages.base import PackageError, href_path
from coursehost.packages.limits import ArchiveLimits
from coursehost.packages.streams import LimitedReader

# Legacy zip tools wrote names in the system's ANSI or OEM code page without saying so. zipfile reads such names as
# CP437 (the zip default); these are the other code pages that were common enough to try when an href misses.
LEGACY_CODECS = (("cp1252", "Windows-1252"), ("cp866", "CP866 (DOS Cyrillic)"), ("cp850", "CP850 (DOS Latin-1)"))


class Entries(Protocol):
    """What the view reads of a vetted zip (:class:`coursehost.packages.archive.Archive`): its entries by full name."""

    @property
    def all_names(self) -> frozenset[str]: ...

    @property
    def legacy_names(self) -> frozenset[str]: ...

    @property
    def limits(self) -> ArchiveLimits: ...

    def entry_size(self, name: str) -> int: ...

    def open_entry(self, name: str) -> LimitedReader: ...


class ArchiveView:
    """The :class:`PackageView` a parser sees: the files under the course root, by root-relative path."""

    def __init__(self, archive: Entries, root: str) -> None:
        self._archive = archive
        # Course-relative name → zip entry name; they differ by more than the root once names are re-decoded.
        self._entry = {n[len(root) :]: n for n in archive.all_names if n.startswith(root)}
        self._legacy = {name for name, entry in self._entry.items() if entry in archive.legacy_names}
        self._alternatives: dict[str, dict[str, str]] = {}
        self._recoded: tuple[str, int, str] | None = None
        self._index()

    def _index(self) -> None:
        self._names = frozenset(self._entry)
        self._course_name = {entry: name for name, entry in self._entry.items()}
        self._folded: dict[str, list[str]] = {}
        for name in sorted(self._names):
            self._folded.setdefault(name.lower(), []).append(name)

    @property
    def names(self) -> frozenset[str]:
        return self._names

    def course_name(self, entry: str) -> str | None:
        """The course-relative name the zip entry ``entry`` is stored under, or None if it is outside the course."""
        return self._course_name.get(entry)

    def read(self, name: str, max_bytes: int) -> bytes:
        """Read a descriptor; the archive's descriptor cap applies on top of ``max_bytes``.

        The declared size is checked first, and the stream cannot yield more than it declared, so a huge or lying
        entry costs at most ``limit`` bytes of memory.
        """
        limit = min(max_bytes, self._archive.limits.max_descriptor_bytes)
        entry = self._entry.get(name)
        if entry is None:
            raise PackageError(f"{name} is not in the package")
        size = self._archive.entry_size(entry)
        if size > limit:
            raise PackageError(f"{name} is {size} bytes, larger than the {limit} bytes allowed for a descriptor")
        with self._archive.open_entry(entry) as stream:
            return stream.read(limit + 1)

    def resolve(self, href: str) -> str | None:
        path = href_path(href)
        if path is None:
            return None
        if path in self._names:
            return path
        folded = self._folded.get(path.lower(), [])
        if len(folded) == 1:
            return folded[0]
        return self._recode_for(path)

    def _recode_for(self, path: str) -> str | None:
        """Re-decode every legacy-encoded name with the first code page under which ``path`` exists."""
        if self._recoded is not None or not self._legacy:
            return None
        for codec, label in LEGACY_CODECS:
            if codec not in self._alternatives:
                self._alternatives[codec] = _decoded(self._legacy, codec)
            alternatives = self._alternatives[codec]
            if path not in alternatives:
                continue
            renamed = 0
            for new, old in alternatives.items():
                if new not in self._entry:
                    self._entry[new] = self._entry.pop(old)
                    renamed += 1
            self._legacy.clear()
            self._recoded = (label, renamed, path)
            self._index()
            return path
        return None

    def notes(self) -> list[str]:
        """What resolving hrefs had to repair in the package itself (a case mismatch is the parser's to report)."""
        notes = []
        if self._recoded:
            label, count, example = self._recoded
            names = "1 file name" if count == 1 else f"{count} file names"
            notes.append(
                f"{names} in the zip {'is' if count == 1 else 'are'} not UTF-8 and matched the package's hrefs "
                f"only when read as {label} (e.g. '{example}'); {'it was' if count == 1 else 'they were'} "
                f"read as {label}."
            )
        return notes


def _decoded(names: set[str], codec: str) -> dict[str, str]:
    """Each name re-decoded with ``codec`` → the name as first decoded (CP437, which maps every byte)."""
    found = {}
    for name in names:
        try:
            found[name.encode("cp437").decode(codec)] = name
        except UnicodeError:
            continue
    return found
