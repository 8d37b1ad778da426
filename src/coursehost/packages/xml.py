"""Parse untrusted package descriptors without letting them reach the network, the disk or the heap limit.

Descriptors come from strangers' zips, so the parser refuses DTD entities outright (XXE and "billion laughs"
both need them, and no real manifest does), never loads external DTDs, and caps element nesting. It also works
out the real text encoding itself, because authoring tools often declare one encoding and write another.
"""

from __future__ import annotations

import codecs
import re

from lxml import etree

from coursehost.packages.base import PackageError

MAX_DEPTH = 256
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"

# Scanned in the raw bytes, before parsing, in every encoding a descriptor realistically uses.
_ENTITY_MARKERS = tuple("<!ENTITY".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))
# UTF-32 first: its little-endian mark begins with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_LABELS = {"utf-8": "UTF-8", "cp1252": "Windows-1252", "iso8859-1": "ISO-8859-1"}
_DECLARED = re.compile(r"""^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
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


def parse_xml(data: bytes, filename: str, warnings: list[str] | None = None) -> etree._Element:
    """Parse ``data`` (the bytes of ``filename``) into its root element, or raise PackageError.

    An encoding that had to be guessed because the document lies about it is reported in ``warnings``.
    """
    if any(marker in data for marker in _ENTITY_MARKERS):
        raise _entities_refused(filename)
    document, note = decode_xml(data, filename)
    if note and warnings is not None:
        warnings.append(note)
    if "<!ENTITY" in document:
        raise _entities_refused(filename)
    # Some authoring tools put blank lines before the XML declaration, which libxml2 rejects outright.
    # Stripping them is harmless; line numbers are shifted back so error positions still match the file.
    stripped = document.lstrip(" \t\r\n")
    skipped_lines = 0
    if stripped.startswith("<?xml"):
        skipped_lines = document[: len(document) - len(stripped)].count("\n")
        document = stripped
    try:
        root = etree.fromstring(_as_utf8(document), _parser())
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, filename, skipped_lines) from None
    dtd = root.getroottree().docinfo.internalDTD
    # A belt to the text scan's braces: libxml2 has recorded whatever the internal subset declared.
    # (iterentities is real lxml API that lxml-stubs does not declare.)
    entities = getattr(dtd, "iterentities", None) if dtd is not None else None
    if entities is not None and next(iter(entities()), None) is not None:
        raise _entities_refused(filename)
    _check_depth(root, filename)
    return root


def decode_xml(data: bytes, filename: str) -> tuple[str, str | None]:
    """The document's text, and a warning when its declared encoding had to be overruled.

    A byte order mark beats the declaration. Without one, bytes that are valid UTF-8 (and not plain ASCII) are
    UTF-8 whatever the declaration says, because real text in a legacy encoding practically never is; bytes that
    claim UTF-8 but are not are read as Windows-1252, the encoding such tools actually used.
    """
    bom = next(((mark, codec) for mark, codec in _BOMS if data.startswith(mark)), None)
    if bom is None and (unmarked := _unmarked_unicode(data[:4])):
        bom = (b"", unmarked)
    if bom is not None:
        mark, actual = bom
        text = data[len(mark) :].decode(actual, errors="replace")
        declared = _declared(text)
        return text, _mismatch(filename, declared, actual) if declared and not _same(declared, actual) else None
    declared = _declared(data[:1024].decode("latin-1"))
    codec = _codec(declared) if declared else "utf-8"
    utf8 = _try(data, "utf-8")
    if codec is None or codec.startswith(("utf-8", "utf-16", "utf-32")):
        # Unknown, or Unicode without a byte order mark: only UTF-8 is left to try before the legacy fallback.
        if utf8 is not None:
            return utf8, None if codec and codec.startswith("utf-8") else _mismatch(filename, declared, "utf-8")
    elif utf8 is not None and not data.isascii():
        return utf8, _mismatch(filename, declared, "utf-8")
    else:
        # Tools that say ISO-8859-1 nearly always mean Windows-1252 (curly quotes, dashes), as browsers assume too.
        for candidate in ("cp1252", codec) if codec == "iso8859-1" else (codec,):
            decoded = _try(data, candidate)
            if decoded is not None:
                return decoded, None
    fallback, actual = _legacy(data)
    return fallback, _mismatch(filename, declared, actual, implied=not declared)


def _unmarked_unicode(head: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte order mark, told apart by where the zero bytes around the first '<' are."""
    zeros = tuple(i for i, byte in enumerate(head) if byte == 0)
    if len(head) < 4 or b"<" not in head:
        return None
    return {
        (1, 3): "utf-16-le",
        (0, 2): "utf-16-be",
        (1, 2, 3): "utf-32-le",
        (0, 1, 2): "utf-32-be",
    }.get(zeros)


def _declared(head: str) -> str | None:
    found = _DECLARED.match(head)
    return found.group(1).strip() if found else None


def _codec(name: str | None) -> str | None:
    try:
        return codecs.lookup(name or "").name
    except LookupError:
        return None


def _same(declared: str, actual: str) -> bool:
    # 'UTF-16' names both byte orders: the mark settles which one.
    codec = _codec(declared)
    return codec is not None and (codec == actual or actual.startswith(codec + "-"))


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _legacy(data: bytes) -> tuple[str, str]:
    # Windows-1252 leaves five bytes undefined; ISO-8859-1 decodes anything.
    text = _try(data, "cp1252")
    return (text, "cp1252") if text is not None else (data.decode("iso8859-1"), "iso8859-1")


def _mismatch(filename: str, declared: str | None, actual: str, *, implied: bool = False) -> str:
    label = _LABELS.get(actual, actual.upper().removesuffix("-LE").removesuffix("-BE"))
    claim = "declares no encoding (so UTF-8 applies)" if implied else f"declares encoding {declared}"
    return f"{filename} {claim} but is {label}; it was read as {label}."


def _as_utf8(document: str) -> bytes:
    # The text is already decoded, so the declaration must stop naming the encoding it was decoded from.
    found = _DECLARED.match(document)
    if found:
        document = document[: found.start(1)] + "UTF-8" + document[found.end(1) :]
    return document.encode("utf-8")


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
