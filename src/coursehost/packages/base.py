"""The contract between the import pipeline and the per-standard package parsers.

A parser is a strategy: it looks at the file listing of a package (already checked for hostile
zip tricks by :mod:`coursehost.packages.archive`), says whether it recognises the package, and turns
its descriptor into a :class:`ParsedCourse`. Parsers never touch the database or the storage
backend, so they are tested with packages built in memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, Protocol, get_args
from urllib.parse import unquote

# SCORM Cloud's courseLearningStandard enum, written once: the course wire models and the configuration catalog read
# it from here. No package parses as LTI13 (content connectors are not imported), but SCORM Cloud names it.
LearningStandard = Literal[
    "UNKNOWN",
    "SCORM11",
    "SCORM12",
    "SCORM20042NDEDITION",
    "SCORM20043RDEDITION",
    "SCORM20044THEDITION",
    "AICC",
    "XAPI",
    "CMI5",
    "LTI13",
]
LEARNING_STANDARDS: tuple[LearningStandard, ...] = get_args(LearningStandard)
ActivityType = Literal["UNKNOWN", "AGGREGATION", "SCO", "ASSET", "OBJECTIVE"]


class PackageError(Exception):
    """The package cannot become a course; ``message`` is shown to the person who uploaded it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Activity:
    title: str
    activity_type: ActivityType
    item_identifier: str | None = None
    resource_identifier: str | None = None
    external_identifier: str | None = None
    href: str | None = None
    scaled_passing_score: str | None = None
    children: list[Activity] = field(default_factory=list)


@dataclass
class CourseMetadata:
    title: str | None = None
    title_language: str | None = None
    description: str | None = None
    description_language: str | None = None
    duration: str | None = None
    typical_time: str | None = None
    keywords: list[str] = field(default_factory=list)


@dataclass
class ParsedCourse:
    standard: LearningStandard
    title: str
    root_activity: Activity
    warnings: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    metadata: CourseMetadata | None = None
    # The IRI the package names for itself (cmi5, xAPI); other standards get one derived from package_identifier.
    xapi_activity_id: str | None = None
    # What the package calls itself: the manifest identifier (SCORM), the .crs Course_ID (AICC).
    package_identifier: str | None = None


class PackageView(Protocol):
    """Read access to the files of a package, by path relative to the course root (posix, no leading '/')."""

    @property
    def names(self) -> frozenset[str]: ...

    def read(self, name: str, max_bytes: int) -> bytes:
        """Return the file's bytes; raise PackageError if it is larger than ``max_bytes``."""
        ...

    def resolve(self, href: str) -> str | None:
        """The name of the file an href points at (query/fragment dropped, percent-decoded), or None."""
        ...


class PackageFormat(Protocol):
    """One standard (or family of editions) that coursehost can import."""

    name: str
    label: str
    """How the "no descriptor" error names what this format looks for, e.g. ``imsmanifest.xml (SCORM)``."""

    def matches(self, filename: str) -> bool:
        """Whether a file of this lower-cased name (no folder) marks a package of this format.

        A predicate rather than one fixed name because AICC is recognised by a family of extensions.
        """
        ...

    def parse(self, package: PackageView, course_id: str) -> ParsedCourse: ...


# A leading '/', a drive letter or any URI scheme: nothing that can name a file inside the package.
_ABSOLUTE = re.compile(r"^(/|[A-Za-z][A-Za-z0-9+.-]*:)")


def href_path(href: str) -> str | None:
    """The normalised file path an href names inside the package, or None if it is absolute or leaves it.

    This is the normalisation :meth:`PackageView.resolve` applies before looking the file up: query and fragment
    dropped, percent-decoded, backslashes turned into '/', '.' and empty segments removed, '..' applied.
    """
    path = unquote(href.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/")
    if _ABSOLUTE.match(path):
        return None
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part != "..":
            parts.append(part)
        elif parts:
            parts.pop()
        else:
            return None
    return "/".join(parts) or None


def is_absolute_href(href: str) -> bool:
    return _ABSOLUTE.match(href) is not None


def tidy_href(href: str) -> str:
    """Collapse './', 'a/../' and backslashes in a relative href (query and fragment kept) into one canonical form."""
    if is_absolute_href(href):
        return href
    cut = min((i for i in (href.find("?"), href.find("#")) if i >= 0), default=len(href))
    parts: list[str] = []
    for part in href[:cut].replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        if part == ".." and parts and parts[-1] != "..":
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts) + href[cut:]


# Tags that name no language: they would only add noise to courseLanguages.
_NO_LANGUAGE = frozenset({"und", "x-none", "zxx"})


def language_tags(values: Iterable[str | None]) -> list[str]:
    """Sorted unique BCP 47 tags in their conventional case, so 'en-us' and 'en-US' count once as 'en-US'."""
    tags: set[str] = set()
    for value in values:
        raw = (value or "").strip().replace("_", "-")
        parts = raw.split("-")
        if not raw or not all(part.isascii() and part.isalnum() for part in parts):
            continue
        tag = "-".join(
            [parts[0].lower()]
            + [p.upper() if len(p) == 2 else p.title() if len(p) == 4 else p.lower() for p in parts[1:]]
        )
        if tag not in _NO_LANGUAGE:
            tags.add(tag)
    return sorted(tags)


def preferred_text(entries: Iterable[tuple[str | None, str | None]]) -> tuple[str | None, str | None]:
    """Of several (text, language) translations, the English one, else the first with text."""
    filled = [(value, language or None) for value, language in entries if value]
    english = [entry for entry in filled if (entry[1] or "").lower().split("-")[0] == "en"]
    return (english or filled)[0] if filled else (None, None)


# xs:decimal's lexical form. Exponents are refused because '1E-999999' would print as a million digits.
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_decimal(raw: str) -> Decimal | None:
    """A plain decimal number ('0.8', '80', '.5'), or None for anything else."""
    value = raw.strip()
    return Decimal(value) if _DECIMAL.match(value) else None
