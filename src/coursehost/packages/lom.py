"""IEEE LOM metadata: the catalogue title, description, keywords, durations and languages of a course.

Two generations of LOM turn up in packages and are read alike: the IMS Metadata 1.2 binding (``imsmd``,
``<langstring xml:lang="en">``) used by SCORM 1.2, and IEEE LOM 1.0 (``<string language="en">``) used by SCORM 2004.
Elements are matched by local name, so namespace versions and capitalisation do not matter. LOM is either inline
in a ``<metadata>`` element (of the manifest, an organization, an item, a resource or a file) or in a separate file
that the element names with ``adlcp:location``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from coursehost.packages.base import CourseMetadata, PackageError, PackageView, is_absolute_href, tidy_href
from coursehost.packages.xml import XML_BASE, XML_LANG, attr, child, children, local_name, parse_xml, text

MAX_METADATA_BYTES = 4 * 1024**2
MAX_METADATA_FILES = 4
MAX_METADATA_FILES_TOTAL = 64
MAX_METADATA_TOTAL_BYTES = 16 * 1024**2
# IMS Metadata 1.1 called its root element <record>; later bindings call it <lom>.
LOM_ROOTS = ("lom", "record")
# LOM 1.2 writes "x-none" for "no particular language"; it names no language.
_NO_LANGUAGE = "x-none"
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


class LomReader:
    """Reads the LOM that ``<metadata>`` elements hold inline or name by ``adlcp:location``.

    A file is resolved against the ``xml:base`` in scope, read through the safe XML parser, and read once however
    many elements name it. A missing or unreadable file costs the course its catalogue data, not its import, so it
    becomes one warning. Item and resource metadata can name a file each, so the files read per package are capped
    in number and in bytes.
    """

    def __init__(self, package: PackageView, warnings: list[str]) -> None:
        self._package = package
        self._warnings = warnings
        self._files: dict[str, etree._Element | None] = {}
        self._bytes = 0
        self._over_budget = False

    def documents(self, metadata: etree._Element | None) -> list[etree._Element]:
        """The ``<lom>`` elements ``metadata`` holds inline, then those of the files it names, in that order."""
        return children(metadata, "lom") + children(metadata, "record") + self.external(metadata)

    def external(self, metadata: etree._Element | None) -> list[etree._Element]:
        """The ``<lom>`` elements of the files ``metadata`` names with ``adlcp:location``."""
        locations = {text(node): node for node in children(metadata, "location") if text(node)}
        found = []
        # Each file costs a parse of up to MAX_METADATA_BYTES, so one element naming hundreds of them gets a few.
        for href, node in list(locations.items())[:MAX_METADATA_FILES]:
            lom = self._file(href or "", with_base(node, href or ""))
            if lom is not None:
                found.append(lom)
        return found

    def _file(self, href: str, based: str) -> etree._Element | None:
        # Tools that set xml:base for their content seldom mean it for the metadata file; when only the href as
        # written names a file, that file is the only candidate, so it is used.
        name = self._package.resolve(based)
        if name is None and based != href:
            name = self._package.resolve(href)
        key = name if name is not None else based
        if key in self._files:
            return self._files[key]
        if len(self._files) >= MAX_METADATA_FILES_TOTAL or self._bytes >= MAX_METADATA_TOTAL_BYTES:
            if not self._over_budget:
                self._over_budget = True
                self._warnings.append(
                    f"The manifest names more metadata files than are read ({MAX_METADATA_FILES_TOTAL} files or "
                    f"{MAX_METADATA_TOTAL_BYTES // 1024**2} MiB); the others were ignored."
                )
            return None
        self._files[key] = lom = self._read(name, based)
        return lom

    def _read(self, name: str | None, href: str) -> etree._Element | None:
        if name is None:
            self._warnings.append(
                f"The metadata file '{href}' named in the manifest is not in the package; it was ignored."
            )
            return None
        try:
            data = self._package.read(name, MAX_METADATA_BYTES)
            self._bytes += len(data)
            root = parse_xml(data, name, self._warnings)
        except PackageError as exc:
            self._warnings.append(f"The metadata file '{name}' could not be read ({exc.message}); it was ignored.")
            return None
        lom = next((e for e in root.iter() if local_name(e) in LOM_ROOTS), None)
        if lom is None:
            self._warnings.append(f"The metadata file '{name}' holds no <lom> element; it was ignored.")
        return lom


def with_base(node: etree._Element, href: str) -> str:
    """``href`` resolved against the ``xml:base`` of ``node`` and its ancestors, nearest first (XML Base)."""
    for ancestor in (node, *node.iterancestors()):
        base = (ancestor.get(XML_BASE) or "").strip()
        if base and not is_absolute_href(href):
            # Authors write xml:base="content" as often as "content/"; both mean the folder.
            href = (base if base.endswith("/") else base + "/") + href
    return tidy_href(href)


def course_metadata(documents: Iterable[etree._Element]) -> CourseMetadata | None:
    """Each field from the first document that has it: the course's own LOM first, then its organization's."""
    result = CourseMetadata()
    for lom in documents:
        general = child(lom, "general")
        if result.title is None:
            result.title, result.title_language = _first_langstring(children(general, "title"))
        if result.description is None:
            result.description, result.description_language = _first_langstring(children(general, "description"))
        if not result.keywords:
            result.keywords = list(dict.fromkeys(s for k in children(general, "keyword") for s, _ in _strings(k)))
        if result.duration is None:
            result.duration = _first_duration(children(child(lom, "technical"), "duration"))
        if result.typical_time is None:
            times = [t for e in children(lom, "educational") for t in children(e, "typicallearningtime")]
            result.typical_time = _first_duration(times)
    return None if result == CourseMetadata() else result


def languages(documents: Iterable[etree._Element]) -> list[str]:
    """Every language the documents declare: ``<language>`` elements and the languages of non-empty strings."""
    found: set[str | None] = set()
    for lom in documents:
        for node in lom.iter():
            name = local_name(node)
            if name == "language":
                found.update(_tag(code) for code in (text(node) or "").split())
            elif name in ("string", "langstring") and text(node):
                found.add(_tag(_string_language(node)))
    return sorted(code for code in found if code)


def _strings(node: etree._Element | None) -> list[tuple[str, str | None]]:
    """The non-empty (text, language) pairs of a LOM langstring container, either binding."""
    pairs = []
    for entry in node if node is not None else []:
        value = text(entry) if local_name(entry) in ("string", "langstring") else None
        if value:
            pairs.append((value, _string_language(entry)))
    if not pairs and node is not None and len(node) == 0 and text(node):
        # A bare <title>Text</title> is invalid LOM but common enough to honour.
        pairs.append((text(node) or "", None))
    return pairs


def _first_langstring(nodes: list[etree._Element]) -> tuple[str | None, str | None]:
    for node in nodes:
        for value, language in _strings(node):
            return value, language
    return None, None


def _string_language(node: etree._Element) -> str | None:
    raw = (node.get(XML_LANG) or attr(node, "language") or "").strip()
    return None if not raw or raw.lower() == _NO_LANGUAGE else raw


def _first_duration(nodes: list[etree._Element]) -> str | None:
    # LOM 1.0 wraps the value in <duration>, IMS Metadata 1.2 in <datetime>; some tools write it bare.
    for node in nodes:
        inner = child(node, "duration") if child(node, "duration") is not None else child(node, "datetime")
        value = text(inner) if inner is not None else (text(node) if len(node) == 0 else None)
        if value:
            return value
    return None


def _tag(raw: str | None) -> str | None:
    """A language tag in its canonical case (``en-us`` → ``en-US``), or None if it is not one."""
    raw = (raw or "").replace("_", "-")
    if raw.lower() == _NO_LANGUAGE or not _LANGUAGE_TAG.match(raw):
        return None
    primary, *rest = raw.split("-")
    subtags = [primary.lower()]
    for part in rest:
        if len(part) == 2 and part.isalpha():
            subtags.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            subtags.append(part.title())
        else:
            subtags.append(part.lower())
    return "-".join(subtags)
