from __future__ import annotations

import pytest

from coursehost.packages import PackageError
from coursehost.packages import xml as safe_xml
from coursehost.packages.xml import attr, child, children, local_name, parse_xml, text

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE manifest [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<manifest>&lol3;</manifest>
"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE manifest [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<manifest><title>&xxe;</title></manifest>
"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE manifest SYSTEM "http://attacker.invalid/evil.dtd">
<manifest><title>ok</title></manifest>
"""


def test_parses_with_namespaces_and_drops_comments() -> None:
    root = parse_xml(
        b'<m xmlns="urn:x" xmlns:a="urn:a"><!-- note --><Title a:Lang="en"> Hi  there </Title></m>', "f.xml"
    )
    assert local_name(root) == "m"
    title = child(root, "title")
    assert title is not None
    assert text(title) == "Hi there"
    assert attr(title, "lang") == "en"
    assert len(root) == 1


def test_helpers_tolerate_missing_nodes() -> None:
    assert child(None, "x") is None
    assert children(None, "x") == []
    assert text(None) is None


@pytest.mark.parametrize(
    "document",
    [
        BILLION_LAUGHS,
        XXE,
        BILLION_LAUGHS.decode().encode("utf-16"),
        # Not caught by the byte scan; libxml2's record of the internal subset catches it.
        BILLION_LAUGHS.decode().encode("utf-32"),
    ],
)
def test_entity_declarations_are_refused(document: bytes) -> None:
    with pytest.raises(PackageError, match="^imsmanifest.xml declares XML entities, which are refused for safety$"):
        parse_xml(document, "imsmanifest.xml")


def test_external_dtd_is_never_fetched() -> None:
    root = parse_xml(EXTERNAL_DTD, "imsmanifest.xml")
    assert text(child(root, "title")) == "ok"


def test_syntax_error_names_file_line_and_column() -> None:
    document = b'<?xml version="1.0"?>\n<manifest>\n  <organizations>\n</manifest>\n'
    with pytest.raises(PackageError) as caught:
        parse_xml(document, "imsmanifest.xml")
    message = caught.value.message
    assert message.startswith("imsmanifest.xml is not well-formed XML: ")
    assert message.endswith("(line 4, column 12)")
    assert "Opening and ending tag mismatch" in message


def test_empty_document() -> None:
    with pytest.raises(PackageError, match="is not well-formed XML: Document is empty"):
        parse_xml(b"", "imsmanifest.xml")


def test_utf8_bom_and_leading_blank_lines() -> None:
    root = parse_xml(b'\xef\xbb\xbf\n\n<?xml version="1.0" encoding="UTF-8"?><manifest/>', "imsmanifest.xml")
    assert local_name(root) == "manifest"


def test_line_numbers_survive_stripped_blank_lines() -> None:
    with pytest.raises(PackageError, match=r"\(line 3, column"):
        parse_xml(b'\n\n<?xml version="1.0"?><manifest>', "imsmanifest.xml")


def test_deep_nesting_is_refused() -> None:
    document = b"<a>" * 300 + b"</a>" * 300
    with pytest.raises(PackageError, match="nests elements more than 256 levels deep"):
        parse_xml(document, "imsmanifest.xml")


def test_own_depth_check(monkeypatch: pytest.MonkeyPatch) -> None:
    # libxml2 stops at 256 by itself; the second check must hold if that default ever changes.
    monkeypatch.setattr(safe_xml, "MAX_DEPTH", 10)
    parse_xml(b"<a>" * 10 + b"</a>" * 10, "f.xml")
    with pytest.raises(PackageError, match="more than 10 levels deep"):
        parse_xml(b"<a>" * 11 + b"</a>" * 11, "f.xml")


@pytest.mark.parametrize(
    ("document", "warnings"),
    [
        ('<?xml version="1.0" encoding="utf-8"?><m>é</m>'.encode(), []),
        (
            '<?xml version="1.0" encoding="x-klingon"?><m>é</m>'.encode(),
            ["f.xml declares encoding x-klingon but is UTF-8; it was read as UTF-8."],
        ),
        ('<?xml version="1.0" encoding="shift_jis"?><m>日本</m>'.encode("shift_jis"), []),
        ("<m>é</m>".encode("utf-16-le"), []),  # no mark and no declaration, but unmistakably UTF-16
        ("<m>é</m>".encode("utf-32"), []),
    ],
)
def test_encodings(document: bytes, warnings: list[str]) -> None:
    found: list[str] = []
    root = parse_xml(document, "f.xml", found)
    assert root.text in ("é", "日本")
    assert found == warnings


def test_errors_in_a_re_decoded_document_keep_their_line() -> None:
    document = '<?xml version="1.0" encoding="UTF-8"?>\n<m>\ncafé</x>'.encode("cp1252")
    with pytest.raises(PackageError, match=r"Opening and ending tag mismatch: m line 2 and x \(line 3, column"):
        parse_xml(document, "imsmanifest.xml")
