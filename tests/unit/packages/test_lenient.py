"""Packages that bend the rules the way real authoring tools do: each is imported, and each repair is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursehost.packages import PackageError
from tests.unit.packages.builders import (
    HTML,
    item,
    manifest,
    organization,
    organizations,
    parse_package,
    parse_zip,
    resource,
    resources,
    single_sco_12,
    write_raw_names,
    write_zip,
)


def titled_manifest(title: str, declaration: str = '<?xml version="1.0" encoding="UTF-8"?>') -> str:
    body = organizations(organization(item("ITEM_1", "RES_1"), title=title)) + resources(
        resource("RES_1", "index.html")
    )
    return manifest(body).replace('<?xml version="1.0" encoding="UTF-8"?>', declaration)


def with_files(*files: str, launch: str = "index.html") -> str:
    listed = "".join(f'<file href="{f}"/>' for f in files)
    res = f'<resource identifier="RES_1" type="webcontent" adlcp:scormtype="sco" href="{launch}">{listed}</resource>'
    return manifest(organizations(organization(item("ITEM_1", "RES_1"))) + resources(res))


# --- where the manifest is -----------------------------------------------------------------------------------------


def test_manifest_two_folders_deep(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "c.zip",
        {"export/course/imsmanifest.xml": single_sco_12(), "export/course/index.html": HTML, "export/notes.txt": b"x"},
    )
    parsed, files = parse_zip(path)
    assert parsed.title == "Test Course"
    assert set(files) == {"imsmanifest.xml", "index.html"}
    assert parsed.warnings == [
        "The manifest was found in the folder 'export/course/' rather than at the package root; "
        "that folder was used as the course root.",
        "1 file outside the course folder 'export/course/' was ignored.",
    ]


# --- manifest encodings --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "document",
    [
        b"\xef\xbb\xbf" + titled_manifest("Café").encode(),
        titled_manifest("Café", '<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16"),  # with its BOM
        titled_manifest("Café", '<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16-be"),  # no BOM
        titled_manifest("Café", '<?xml version="1.0" encoding="ISO-8859-1"?>').encode("latin-1"),
        titled_manifest("Café", '<?xml version="1.0" encoding="windows-1252"?>').encode("cp1252"),
    ],
    ids=["utf-8-bom", "utf-16-bom", "utf-16-be", "latin-1", "windows-1252"],
)
def test_encodings_that_are_what_they_declare(tmp_path: Path, document: bytes) -> None:
    parsed = parse_package(tmp_path, document)
    assert (parsed.title, parsed.warnings) == ("Café", [])


@pytest.mark.parametrize(
    ("document", "warning"),
    [
        (
            titled_manifest("Café", '<?xml version="1.0" encoding="ISO-8859-1"?>').encode("utf-8"),
            "imsmanifest.xml declares encoding ISO-8859-1 but is UTF-8; it was read as UTF-8.",
        ),
        (
            titled_manifest("Café “2”").encode("cp1252"),
            "imsmanifest.xml declares encoding UTF-8 but is Windows-1252; it was read as Windows-1252.",
        ),
        (
            titled_manifest("Café", '<?xml version="1.0"?>').encode("cp1252"),
            "imsmanifest.xml declares no encoding (so UTF-8 applies) but is Windows-1252; it was read as Windows-1252.",
        ),
        (
            titled_manifest("Café").encode("utf-16"),
            "imsmanifest.xml declares encoding UTF-8 but is UTF-16; it was read as UTF-16.",
        ),
        (
            b"\xef\xbb\xbf" + titled_manifest("Café", '<?xml version="1.0" encoding="windows-1252"?>').encode(),
            "imsmanifest.xml declares encoding windows-1252 but is UTF-8; it was read as UTF-8.",
        ),
    ],
    ids=["latin-1-but-utf-8", "utf-8-but-cp1252", "undeclared-cp1252", "utf-8-but-utf-16", "bom-beats-declaration"],
)
def test_encoding_that_lies_is_detected(tmp_path: Path, document: bytes, warning: str) -> None:
    parsed = parse_package(tmp_path, document)
    assert parsed.title.startswith("Café")
    assert parsed.warnings == [warning]


# --- zip entry names -----------------------------------------------------------------------------------------------


def test_windows_1252_names_are_re_decoded_for_the_whole_package(tmp_path: Path) -> None:
    files = {
        b"imsmanifest.xml": single_sco_12("café/leçon.html"),
        "café/leçon.html".encode("cp1252"): HTML,
        "café/résumé.txt".encode("cp1252"): b"notes",  # never referenced, but written by the same tool
    }
    parsed, stored = parse_zip(write_raw_names(tmp_path / "c.zip", files))
    assert parsed.root_activity.children[0].href == "café/leçon.html"
    assert set(stored) == {"imsmanifest.xml", "café/leçon.html", "café/résumé.txt"}
    assert parsed.warnings == [
        "2 file names in the zip are not UTF-8 and matched the package's hrefs only when read as Windows-1252 "
        "(e.g. 'café/leçon.html'); they were read as Windows-1252."
    ]


def test_dos_cyrillic_names(tmp_path: Path) -> None:
    files = {b"imsmanifest.xml": single_sco_12("урок.html"), "урок.html".encode("cp866"): HTML}
    parsed, stored = parse_zip(write_raw_names(tmp_path / "c.zip", files))
    assert set(stored) == {"imsmanifest.xml", "урок.html"}
    assert parsed.warnings == [
        "1 file name in the zip is not UTF-8 and matched the package's hrefs only when read as CP866 (DOS Cyrillic) "
        "(e.g. 'урок.html'); it was read as CP866 (DOS Cyrillic)."
    ]


def test_cp437_names_are_the_zip_default_and_need_no_repair(tmp_path: Path) -> None:
    files = {b"imsmanifest.xml": single_sco_12("café.html"), "café.html".encode("cp437"): HTML}
    parsed, stored = parse_zip(write_raw_names(tmp_path / "c.zip", files))
    assert (set(stored), parsed.warnings) == ({"imsmanifest.xml", "café.html"}, [])


def test_undecodable_names_that_no_href_names_are_kept(tmp_path: Path) -> None:
    files = {b"imsmanifest.xml": single_sco_12(), b"index.html": HTML, "ñ.txt".encode("cp1252"): b"x"}
    parsed, stored = parse_zip(write_raw_names(tmp_path / "c.zip", files))
    assert set(stored) == {"imsmanifest.xml", "index.html", "ñ.txt".encode("cp1252").decode("cp437")}
    assert parsed.warnings == []


def test_backslashes_and_dot_prefixes_warn_once_per_kind(tmp_path: Path) -> None:
    files = {
        "./imsmanifest.xml": single_sco_12("content/index.html"),
        "content\\index.html": HTML,
        "content\\style.css": b"",
        "./content/app.js": b"",
    }
    parsed, stored = parse_zip(write_zip(tmp_path / "c.zip", files))
    assert set(stored) == {"imsmanifest.xml", "content/index.html", "content/style.css", "content/app.js"}
    assert parsed.warnings == [
        "2 zip entry names separate folders with '\\' (e.g. 'content\\index.html'); '/' was used instead "
        "('content/index.html').",
        "2 zip entry names hold './' or empty folder names (e.g. './imsmanifest.xml'); those parts were dropped "
        "('imsmanifest.xml').",
    ]


def test_a_single_backslashed_name(tmp_path: Path) -> None:
    files = {"imsmanifest.xml": single_sco_12("content/index.html"), "content\\index.html": HTML}
    parsed, _ = parse_zip(write_zip(tmp_path / "c.zip", files))
    assert parsed.warnings == [
        "1 zip entry name separates folders with '\\' (e.g. 'content\\index.html'); '/' was used instead "
        "('content/index.html')."
    ]


# --- hrefs ---------------------------------------------------------------------------------------------------------


def test_case_mismatches_are_one_warning(tmp_path: Path) -> None:
    xml = with_files("Index.html", "IMG/Logo.png", "img/photo.JPG", launch="Index.html")
    parsed = parse_package(tmp_path, xml, "index.html", "img/logo.png", "img/photo.jpg")
    assert parsed.root_activity.children[0].href == "Index.html"
    assert parsed.warnings == [
        "3 hrefs match files only when letter case is ignored (e.g. 'Index.html' is 'index.html' in the package); "
        "those files were used."
    ]


def test_one_missing_listed_file(tmp_path: Path) -> None:
    parsed = parse_package(tmp_path, with_files("index.html", "logo.png"))
    assert parsed.warnings == ["1 file listed in the manifest is missing from the package: 'logo.png'."]


def test_several_missing_listed_files(tmp_path: Path) -> None:
    xml = with_files("index.html", "css/a.css", "js/b.js", "css/a.css", "img/c.png?v=2", "present.js")
    parsed = parse_package(tmp_path, xml, "index.html", "present.js")
    assert parsed.warnings == ["3 files listed in the manifest are missing from the package, e.g. 'css/a.css'."]


def test_listed_files_follow_xml_base_and_skip_urls(tmp_path: Path) -> None:
    res = (
        '<resource identifier="RES_1" type="webcontent" adlcp:scormtype="sco" href="index.html" xml:base="sco/">'
        '<file href="index.html"/><file href="../shared/api.js"/><file href="https://cdn.example.com/x.js"/>'
        "</resource>"
    )
    xml = manifest(organizations(organization(item("ITEM_1", "RES_1"))) + resources(res))
    parsed = parse_package(tmp_path, xml, "sco/index.html", "shared/api.js")
    assert parsed.warnings == []


def test_a_missing_launch_file_is_still_an_error(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="^The launch file 'index.html' of item 'ITEM_1' is not in the package$"):
        parse_package(tmp_path, with_files("index.html"), "other.html")
