"""``packages.open_package``, the one place that decides what kind of package arrived, and its companions: the content
types an import accepts, descriptors of a stored course, and re-parsing a stored course in place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coursehost.packages import (
    ArchiveLimits,
    PackageError,
    Source,
    accepted_content_type,
    is_descriptor,
    open_package,
    parse_in_place,
)
from tests.support.formats import aicc_files, cmi5_au, cmi5_xml, tincan_xml
from tests.unit.packages.builders import HTML, single_sco_12, write_zip

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb" + b"\x00" * 200
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 200
LIMITS = ArchiveLimits()
MEDIA_EXPORT = json.dumps({"contentType": "application/pdf", "file": "guide.pdf", "metadata": {"title": "Guide"}})


def opened(
    path: Path | None, content_type: str = "application/zip", **source: str
) -> tuple[str, str, dict[str, bytes]]:
    """(kind, standard, every file the course keeps) of the package at ``path``."""
    with open_package(path, Source("course-1", content_type, **source), LIMITS) as package:
        files = {name: stream.read() for name, stream in package.files()}
        return package.kind, package.parsed.standard, files


def refusal(path: Path | None, content_type: str = "application/zip", **source: str) -> str:
    with pytest.raises(PackageError) as caught:
        opened(path, content_type, **source)
    return caught.value.message


@pytest.mark.parametrize(
    ("files", "kind", "standard"),
    [
        ({"imsmanifest.xml": single_sco_12(), "index.html": HTML}, "scorm", "SCORM12"),
        (aicc_files(), "aicc", "AICC"),
        ({"cmi5.xml": cmi5_xml(), "index.html": HTML}, "cmi5", "CMI5"),
        ({"tincan.xml": tincan_xml(), "index.html": HTML}, "xapi", "XAPI"),
        ({"coursehost-media.json": MEDIA_EXPORT, "guide.pdf": PDF}, "media", "CMI5"),
    ],
    ids=["scorm", "aicc", "cmi5", "xapi", "media-export"],
)
def test_a_zip_is_the_kind_its_descriptor_names(
    tmp_path: Path, files: dict[str, bytes | str], kind: str, standard: str
) -> None:
    path = write_zip(tmp_path / "package.zip", files)
    found_kind, found_standard, stored = opened(path)
    assert (found_kind, found_standard) == (kind, standard)
    assert set(stored) == set(files)


@pytest.mark.parametrize(
    ("data", "content_type", "name"),
    [(PDF, "application/pdf", "guide.pdf"), (MP3, "audio/mpeg", "talk.mp3"), (MP4, "video/mp4", "clip.mp4")],
)
def test_a_media_file_is_a_media_course_with_its_descriptor(
    tmp_path: Path, data: bytes, content_type: str, name: str
) -> None:
    path = tmp_path / "upload"
    path.write_bytes(data)
    kind, standard, stored = opened(path, content_type, file_name=name)
    assert (kind, standard) == ("media", "CMI5")
    assert stored[name] == data
    assert json.loads(stored["coursehost-media.json"]) == {"contentType": content_type, "file": name, "metadata": {}}


def test_a_media_file_sent_as_a_zip_type_is_opened_as_a_zip(tmp_path: Path) -> None:
    """The declared type decides between media and package; the bytes then decide what kind of package."""
    path = tmp_path / "upload"
    path.write_bytes(PDF)
    assert "not a valid zip" in refusal(path, "application/zip")


def test_a_bare_cmi5_xml_is_a_cmi5_course_kept_as_cmi5_xml(tmp_path: Path) -> None:
    document = "\ufeff  " + cmi5_xml(cmi5_au(url="https://example.com/au/1.html"))
    path = tmp_path / "upload"
    path.write_text(document, encoding="utf-8")
    kind, standard, stored = opened(path, "text/xml")
    assert (kind, standard) == ("cmi5", "CMI5")
    assert stored == {"cmi5.xml": document.encode("utf-8")}


def test_a_bare_xml_over_the_descriptor_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "upload"
    path.write_text(cmi5_xml(cmi5_au(url="https://example.com/au/1.html")) + " " * 200, encoding="utf-8")
    with (
        pytest.raises(PackageError, match="larger than the 100-byte limit"),
        open_package(path, Source("c", "text/xml"), ArchiveLimits(max_descriptor_bytes=100)),
    ):
        pass


def test_a_media_file_left_at_its_url_keeps_only_its_descriptor() -> None:
    url = "https://media.example.com/talks/keynote%201.mp4"
    kind, standard, stored = opened(None, "video/mp4", url=url)
    assert (kind, standard) == ("media", "CMI5")
    assert list(stored) == ["coursehost-media.json"]
    assert json.loads(stored["coursehost-media.json"])["url"] == url


@pytest.mark.parametrize(
    ("files", "content_type", "needle"),
    [
        ({"index.html": HTML}, "application/zip", "No course descriptor was found"),
        (b"this is not a zip", "application/zip", "not a valid zip file"),
        (b"", "application/zip", "The uploaded file is empty"),
        (b"hello, not a pdf", "application/pdf", "not a PDF file"),
        (PDF, "audio/mpeg", "not a MP3 file"),
        (b"", "video/mp4", "The uploaded file is empty"),
        (b"<not-cmi5/>", "text/xml", "cmi5.xml"),
    ],
    ids=["no-descriptor", "not-a-zip", "empty-zip", "fake-pdf", "pdf-as-mp3", "empty-mp4", "xml-not-cmi5"],
)
def test_what_cannot_become_a_course_is_a_package_error(
    tmp_path: Path, files: dict[str, bytes | str] | bytes, content_type: str, needle: str
) -> None:
    path = tmp_path / "upload"
    if isinstance(files, bytes):
        path.write_bytes(files)
    else:
        write_zip(path, files)
    assert needle in refusal(path, content_type)


def test_only_a_media_file_can_be_left_at_its_url() -> None:
    message = refusal(None, "application/zip", url="https://example.com/a.zip")
    assert message == "'application/zip' is not a supported media type (PDF, MP3 or MP4)"


@pytest.mark.parametrize(
    ("declared", "accepted"),
    [
        ("application/zip", "application/zip"),
        ("Application/X-Zip-Compressed", "application/x-zip-compressed"),
        ("application/x-zip", "application/x-zip"),
        ("application/octet-stream", "application/octet-stream"),
        ("text/xml; charset=utf-8", "text/xml"),
        ("application/xml", "application/xml"),
        ("application/pdf", "application/pdf"),
        ("audio/mpeg", "audio/mpeg"),
        ("audio/mp3", "audio/mp3"),
        (" video/mp4 ", "video/mp4"),
    ],
)
def test_accepted_content_types(declared: str, accepted: str) -> None:
    assert accepted_content_type(declared) == accepted


@pytest.mark.parametrize("declared", ["text/plain", "image/png", "", "application/json"])
def test_other_content_types_are_refused_naming_those_accepted(declared: str) -> None:
    with pytest.raises(PackageError) as caught:
        accepted_content_type(declared)
    assert caught.value.message == (
        f"Content type {declared!r} is not supported; use application/zip, text/xml (a cmi5.xml), "
        "application/pdf, audio/mpeg or video/mp4"
    )


@pytest.mark.parametrize("declared", ["application/zip", "text/xml", "application/octet-stream"])
def test_a_reference_must_be_media(declared: str) -> None:
    assert accepted_content_type("video/mp4", media_only=True) == "video/mp4"
    with pytest.raises(PackageError, match="use application/pdf, audio/mpeg or video/mp4$"):
        accepted_content_type(declared, media_only=True)


@pytest.mark.parametrize(
    ("kind", "path", "expected"),
    [
        ("scorm", "imsmanifest.xml", True),
        ("scorm", "IMSManifest.XML", True),
        ("scorm", "sub/imsmanifest.xml", False),
        ("scorm", "cmi5.xml", False),
        ("cmi5", "cmi5.xml", True),
        ("xapi", "tincan.xml", True),
        ("aicc", "course.des", True),
        ("aicc", "course.crs", True),
        ("media", "coursehost-media.json", True),
        ("media", "guide.pdf", False),
    ],
)
def test_descriptors_by_kind(kind: str, path: str, expected: bool) -> None:
    assert is_descriptor(kind, path) is expected


class Files:
    """A PackageView over files in memory, as a stored course with one file replaced looks to a parser."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.files)

    def read(self, name: str, max_bytes: int) -> bytes:
        return self.files[name][:max_bytes]

    def resolve(self, href: str) -> str | None:
        return href if href in self.files else None


def test_parse_in_place_reads_the_stored_course() -> None:
    package = parse_in_place(Files({"tincan.xml": tincan_xml().encode(), "index.html": HTML}), "c")
    assert (package.kind, package.parsed.standard) == ("xapi", "XAPI")


def test_parse_in_place_wants_the_descriptor_at_the_root() -> None:
    with pytest.raises(PackageError, match="must be at the course root, not in 'sub/'"):
        parse_in_place(Files({"sub/imsmanifest.xml": single_sco_12().encode(), "sub/index.html": HTML}), "c")
