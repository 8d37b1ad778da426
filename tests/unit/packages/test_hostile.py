"""Packages built to hurt the server: each is refused with a PackageError that says why, and none gets far.

The basic central-directory attacks (zip-slip, absolute paths, links, encryption, entry counts, ratio bombs) are
in test_archive.py; this file covers the rest of the catalogue end to end, through open_archive and parse.
"""

from __future__ import annotations

import io
import socket
import stat
import threading
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from coursehost.packages import ArchiveLimits, PackageError, open_archive
from tests.unit.packages.builders import (
    HTML,
    claim_zip64_size,
    parse_zip,
    single_sco_12,
    special_entry,
    write_entries,
    write_streamed,
    write_zip,
)

MB = 1024 * 1024


def import_package(path: Path, limits: ArchiveLimits | None) -> None:
    """Everything the import pipeline does with a package: open it, parse it and stream out every file."""
    with open_archive(path, limits) as archive:
        archive.parse("c")
        for _name, stream in archive.content():
            while stream.read(64 * 1024):
                pass


def refusal(path: Path, limits: ArchiveLimits | None = None) -> str:
    """The message a package is refused with, whether at opening, parsing or streaming its files."""
    with pytest.raises(PackageError) as caught:
        import_package(path, limits)
    return caught.value.message


def package(tmp_path: Path, manifest_xml: str | bytes) -> Path:
    return write_zip(tmp_path / "p.zip", {"imsmanifest.xml": manifest_xml, "index.html": HTML})


# --- special files -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_type", "kind"),
    [(stat.S_IFCHR, "a device file"), (stat.S_IFBLK, "a device file"), (stat.S_IFSOCK, "a socket")],
)
def test_device_files_and_sockets(tmp_path: Path, file_type: int, kind: str) -> None:
    path = write_entries(tmp_path / "c.zip", [(special_entry("dev/zero", file_type), b"")])
    assert refusal(path) == f"The zip entry 'dev/zero' is {kind}; a package may only hold regular files and folders"


# --- zips inside the package ----------------------------------------------------------------------------------------


def inner_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.bin", bytes(20 * MB))
    return buffer.getvalue()


def test_a_nested_zip_is_stored_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = inner_bomb()
    path = write_zip(
        tmp_path / "c.zip",
        {"imsmanifest.xml": single_sco_12(), "index.html": HTML, "media/bomb.zip": bomb},
        compression=zipfile.ZIP_STORED,
    )
    opened: list[object] = []
    real_init = zipfile.ZipFile.__init__

    def counting_init(self: zipfile.ZipFile, file: object, *args: object, **kwargs: object) -> None:
        opened.append(file)
        real_init(self, file, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "__init__", counting_init)
    parsed, files = parse_zip(path)
    assert parsed.title == "Test Course"
    assert files["media/bomb.zip"] == bomb  # the bytes as uploaded: never opened, never expanded
    assert set(files) == {"imsmanifest.xml", "index.html", "media/bomb.zip"}
    assert opened == [path]


def test_a_nested_zip_counts_at_its_own_size_against_the_total(tmp_path: Path) -> None:
    bomb = inner_bomb()
    path = write_zip(
        tmp_path / "c.zip",
        {"imsmanifest.xml": single_sco_12(), "index.html": HTML, "bomb.zip": bomb},
        compression=zipfile.ZIP_STORED,
    )
    total = sum(len(data) for data in (single_sco_12().encode(), HTML, bomb))
    limits = ArchiveLimits(max_total_bytes=total - 1)
    assert refusal(path, limits) == f"The package would decompress to {total} bytes; at most {total - 1} are allowed"


# --- sizes that lie ------------------------------------------------------------------------------------------------


def test_zip64_size_claiming_far_more_than_the_data(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "c.zip", {"imsmanifest.xml": single_sco_12(), "index.html": HTML, "big.bin": b"x"})
    claim_zip64_size(path, "big.bin", 5 * 1024**3)
    assert refusal(path).startswith("The zip entry 'big.bin' would expand from ")


def test_zip64_size_claiming_less_than_the_data(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "c.zip",
        {"imsmanifest.xml": single_sco_12(), "index.html": HTML, "big.js": b"var a = 1;\n" * 10_000},
    )
    claim_zip64_size(path, "big.js", 100)
    assert refusal(path).startswith("The zip entry 'big.js' ")


def test_zip64_entry_declared_within_limits_that_holds_more(tmp_path: Path) -> None:
    path = write_streamed(
        tmp_path / "c.zip",
        "data.bin",
        (bytes(MB) for _ in range(3)),
        {"imsmanifest.xml": single_sco_12(), "index.html": HTML},
    )
    claim_zip64_size(path, "data.bin", 1000)
    message = refusal(path, ArchiveLimits(max_ratio=10_000))
    assert message.startswith("The zip entry 'data.bin' ")


# --- a huge manifest -----------------------------------------------------------------------------------------------


def huge_manifest(total: int) -> Iterator[bytes]:
    """A well-formed manifest of ``total`` bytes, mostly one highly compressible comment."""
    head = single_sco_12().encode().replace(b"<manifest ", b"<!-- ", 1)
    yield b'<?xml version="1.0"?>\n<!-- '
    chunk = b"padding " * (MB // 8)
    for _ in range((total - 2 * len(head)) // len(chunk)):
        yield chunk
    yield b"-->\n" + single_sco_12().encode().split(b"?>", 1)[1]


@pytest.fixture(scope="module")
def fifty_mb_manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("huge") / "c.zip"
    return write_streamed(path, "imsmanifest.xml", huge_manifest(50 * MB), {"index.html": HTML})


def test_a_50_mb_manifest_is_small_as_a_zip(fifty_mb_manifest: Path) -> None:
    assert fifty_mb_manifest.stat().st_size < 200 * 1024
    with zipfile.ZipFile(fifty_mb_manifest) as zf:
        assert zf.getinfo("imsmanifest.xml").file_size > 49 * MB


def test_a_50_mb_manifest_is_refused_as_a_zip_bomb_by_default(fifty_mb_manifest: Path) -> None:
    assert "which looks like a zip bomb" in refusal(fifty_mb_manifest)


def test_a_50_mb_manifest_is_refused_by_the_descriptor_cap_unread(fifty_mb_manifest: Path) -> None:
    limits = ArchiveLimits(max_ratio=10_000, max_descriptor_bytes=1 * MB)
    tracemalloc.start()
    try:
        message = refusal(fifty_mb_manifest, limits)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert message.startswith("imsmanifest.xml is ")
    assert message.endswith(f"bytes, larger than the {MB} bytes allowed for a descriptor")
    assert peak < 5 * MB


def test_a_50_mb_manifest_that_declares_a_small_size_is_cut_off_at_the_declared_size(
    tmp_path: Path, fifty_mb_manifest: Path
) -> None:
    path = tmp_path / "lying.zip"
    path.write_bytes(fifty_mb_manifest.read_bytes())
    claim_zip64_size(path, "imsmanifest.xml", 1000)
    limits = ArchiveLimits(max_ratio=10_000_000)
    tracemalloc.start()
    try:
        message = refusal(path, limits)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert message.startswith("The zip entry 'imsmanifest.xml' ")
    assert peak < 5 * MB


# --- hostile XML ---------------------------------------------------------------------------------------------------


def with_doctype(doctype: str, title: str = "Test Course") -> str:
    return single_sco_12().replace("<manifest ", f"{doctype}\n<manifest ").replace("Test Course", title)


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE manifest [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE manifest [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]>',
        '<!DOCTYPE manifest [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
    ],
    ids=["xxe-file", "xxe-parameter-entity", "billion-laughs"],
)
def test_entity_declarations_are_refused(tmp_path: Path, doctype: str) -> None:
    path = package(tmp_path, with_doctype(doctype, "&c;"))
    assert refusal(path) == "imsmanifest.xml declares XML entities, which are refused for safety"


def test_entities_in_utf16_are_refused(tmp_path: Path) -> None:
    document = with_doctype('<!DOCTYPE manifest [<!ENTITY t "x">]>', "&t;").replace('encoding="UTF-8"', "")
    path = package(tmp_path, document.encode("utf-16"))
    assert refusal(path) == "imsmanifest.xml declares XML entities, which are refused for safety"


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A local TCP port that records whether anything, native code included, ever connected to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.setblocking(False)
    yield server
    server.close()


@pytest.fixture
def no_python_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parser tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.usefixtures("no_python_sockets")
@pytest.mark.parametrize("with_internal_subset", [False, True])
def test_external_dtds_are_never_fetched(tmp_path: Path, listener: socket.socket, with_internal_subset: bool) -> None:
    port = listener.getsockname()[1]
    subset = " [<!ELEMENT manifest ANY>]" if with_internal_subset else ""
    for url in ("http://127.0.0.1:9/x.dtd", f"http://127.0.0.1:{port}/x.dtd"):
        parsed, _ = parse_zip(package(tmp_path, with_doctype(f'<!DOCTYPE manifest SYSTEM "{url}"{subset}>')))
        assert parsed.title == "Test Course"
    threading.Event().wait(0.2)  # a connection libxml2 had started would have arrived by now
    with pytest.raises(BlockingIOError):
        listener.accept()


def test_deeply_nested_manifest(tmp_path: Path) -> None:
    deep = "<x>" * 5000 + "</x>" * 5000
    path = package(tmp_path, single_sco_12().replace("</manifest>", deep + "</manifest>"))
    assert refusal(path) == "imsmanifest.xml nests elements more than 256 levels deep, which is refused"


# --- not a zip at all ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "^The uploaded file is empty$"),
        (b"PK\x03\x04" + bytes(100), "^The package is not a valid zip file: "),
        (b"%PDF-1.7\n" + bytes(1000), "^The package is not a valid zip file: "),
        (b"PK\x05\x06" + bytes(18), "^No course descriptor was found in the package"),
    ],
    ids=["empty", "truncated-local-header", "pdf", "empty-zip"],
)
def test_files_that_are_not_packages(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "upload.zip"
    path.write_bytes(content)
    with pytest.raises(PackageError, match=message), open_archive(path) as archive:
        archive.parse("c")
