"""Parse untrusted package descriptors without letting them reach the network, the disk or the heap limit.

Descriptors come from strangers' zips, so the parser refuses DTD entities outright (XXE and "billion laughs"
both need them, and no real manifest does), never loads external DTDs, and caps element nesting.
"""

from __future__ import annotations

import re

from lxml import etree

from coursehost.packages.base import PackageError

MAX_DEPTH = 256

# Scanned in the raw bytes, before parsing, in every encoding a descriptor realistically uses.
_ENTITY_MARKERS = tuple("<!ENTITY".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))
_UTF8_BOM = b"\xef\xbb\xbf"
# lxml appends the position to the message; it is reported separately, in a fixed format.
_POSITION_SUFFIX = re.compile(r",? line \d+, column \d+$")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _entities_refused(filename: str) -> PackageError:
    return PackageError(f"{filename} declares XML entities, which are refused for safety")


def parse_xml(data: bytes, filename: str) -> etree._Element:
    """Parse ``data`` (the bytes of ``filename``) into its root element, or raise PackageError."""
    if any(marker in data for marker in _ENTITY_MARKERS):
        raise _entities_refused(filename)
    # Some authoring tools put blank lines before the XML declaration, which libxml2 rejects outright.
    # Stripping them is harmless; line numbers are shifted back so error positions still match the file.
    body = data.removeprefix(_UTF8_BOM)
    stripped = body.lstrip(b" \t\r\n")
    skipped_lines = 0
    if stripped.startswith(b"<?xml"):
        skipped_lines = body[: len(body) - len(stripped)].count(b"\n")
        body = stripped
    try:
        root = etree.fromstring(body, _parser())
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, filename, skipped_lines) from None
    dtd = root.getroottree().docinfo.internalDTD
    # The byte scan misses exotic encodings (UTF-32, EBCDIC); libxml2 has still recorded the declarations.
    # (iterentities is real lxml API that lxml-stubs does not declare.)
    entities = getattr(dtd, "iterentities", None) if dtd is not None else None
    if entities is not None and next(iter(entities()), None) is not None:
        raise _entities_refused(filename)
    _check_depth(root, filename)
    return root


def _syntax_error(exc: etree.XMLSyntaxError, filename: str, skipped_lines: int) -> PackageError:
    reason = _POSITION_SUFFIX.sub("", str(exc.msg or exc)).strip() or "unknown error"
    if "Excessive depth" in reason:
        return PackageError(f"{filename} nests elements more than {MAX_DEPTH} levels deep, which is refused")
    line, column = exc.position if exc.position else (exc.lineno or 0, exc.offset or 0)
    return PackageError(f"{filename} is not well-formed XML: {reason} (line {line + skipped_lines}, column {column})")


def _check_depth(root: etree._Element, filename: str) -> None:
    # libxml2 already stops at 256 without XML_PARSE_HUGE; this keeps the guarantee if that default changes.
    stack: list[tuple[etree._Element, int]] = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise PackageError(f"{filename} nests elements more than {MAX_DEPTH} levels deep, which is refused")
        stack.extend((child, depth + 1) for child in element)


def local_name(node: etree._Element) -> str:
    """The element's name without namespace, lower-cased: real manifests mix namespaces and capitalisation."""
    tag = node.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def children(node: etree._Element | None, name: str) -> list[etree._Element]:
    """Child elements by lower-cased local name; a missing parent simply has none."""
    return [] if node is None else [c for c in node if local_name(c) == name]


def child(node: etree._Element | None, name: str) -> etree._Element | None:
    return next(iter(children(node, name)), None)


def attr(node: etree._Element, name: str) -> str | None:
    """An attribute by local name, ignoring namespace prefix and case (``adlcp:scormtype`` vs ``scormType``)."""
    wanted = name.lower()
    for key, value in node.attrib.items():
        if str(key).rsplit("}", 1)[-1].lower() == wanted:
            return str(value)
    return None


def text(node: etree._Element | None) -> str | None:
    """Stripped text content of ``node`` (including nested text), or None when empty."""
    if node is None:
        return None
    value = "".join(t if isinstance(t, str) else t.decode() for t in node.itertext()).strip()
    return " ".join(value.split()) or None
