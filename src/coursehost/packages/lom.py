"""IEEE LOM metadata: the catalogue title, description, keywords, durations and languages of a course.

Two generations of LOM turn up in packages and are read alike: the IMS Metadata 1.2 binding (``imsmd``,
``<langstring xml:lang="en">``) used by SCORM 1.2, and IEEE LOM 1.0 (``<string language="en">``) used by SCORM 2004.
Elements are matched by local name, so namespace versions and capitalisation do not matter. LOM is either inline
in a ``<metadata>`` element or in a separate file that the element names with ``adlcp:location``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from coursehost.packages.base import CourseMetadata, PackageError, PackageView
from coursehost.packages.xml import XML_LANG, attr, child, children, local_name, parse_xml, text

MAX_METADATA_BYTES = 4 * 1024**2
MAX_METADATA_FILES = 4
# IMS Metadata 1.1 called its root element <record>; later bindings call it <lom>.
LOM_ROOTS = ("lom", "record")
# LOM 1.2 writes "x-none" for "no particular language"; it names no language.
_NO_LANGUAGE = "x-none"
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def lom_documents(package: PackageView, metadata: etree._Element | None, warnings: list[str]) -> list[etree._Element]:
    """The ``<lom>`` elements a ``<metadata>`` element holds inline or names by ``adlcp:location``, in that order.

    A metadata file that is missing or unreadable costs the course its catalogue data, not its import, so it
    becomes a warning.
    """
    found = children(metadata, "lom") + children(metadata, "record")
    # Each file costs a parse of up to MAX_METADATA_BYTES, so a manifest naming hundreds of them gets a few.
    hrefs = dict.fromkeys(href for href in map(text, children(metadata, "location")) if href)
    for href in list(hrefs)[:MAX_METADATA_FILES]:
        lom = _external(package, href, warnings)
        if lom is not None:
            found.append(lom)
    return found


def _external(package: PackageView, href: str, warnings: list[str]) -> etree._Element | None:
    name = package.resolve(href)
    if name is None:
        warnings.append(f"The metadata file '{href}' named in the manifest is not in the package; it was ignored.")
        return None
    try:
        root = parse_xml(package.read(name, MAX_METADATA_BYTES), name, warnings)
    except PackageError as exc:
        warnings.append(f"The metadata file '{name}' could not be read ({exc.message}); it was ignored.")
        return None
    lom = next((e for e in root.iter() if local_name(e) in LOM_ROOTS), None)
    if lom is None:
        warnings.append(f"The metadata file '{name}' holds no <lom> element; it was ignored.")
    return lom


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
