from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from coursehost.packages import Archive, ArchiveLimits, PackageError, open_archive
from coursehost.packages.streams import Budget, LimitedReader
from tests.unit.packages.builders import (
    FIFO,
    HTML,
    SYMLINK,
    claim_zip64_entry_count,
    patch_entry,
    single_sco_12,
    special_entry,
    write_entries,
    write_zip,
)


def scorm_files(**extra: bytes | str) -> dict[str, bytes | str]:
    return {"imsmanifest.xml": single_sco_12(), "index.html": HTML, **extra}


def drain(archive: Archive) -> dict[str, bytes]:
    """Read every file in 4 KiB chunks, the way the import pipeline copies them to storage."""
    seen = {}
    for name, stream in archive.content():
        chunks = []
        while chunk := stream.read(4096):
            chunks.append(chunk)
        seen[name] = b"".join(chunks)
    return seen


def test_defaults_match_the_import_pipeline() -> None:
    limits = ArchiveLimits()
    assert (limits.max_entries, limits.max_total_bytes, limits.max_ratio, limits.max_descriptor_bytes) == (
        10_000,
        4 * 1024**3,
        200,
        16 * 1024**2,
    )


def test_content_streams_every_file(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "c.zip", scorm_files(**{"shared/app.js": b"x" * 100_000, "empty/": b""}))
    with open_archive(path) as archive:
        seen = drain(archive)
    assert set(seen) == {"imsmanifest.xml", "index.html", "shared/app.js"}
    assert seen["shared/app.js"] == b"x" * 100_000


def test_accepts_a_plain_string_path(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "c.zip", scorm_files())
    with open_archive(str(path)) as archive:
        assert archive.parse("c").title == "Test Course"


def test_backslashes_and_dot_prefixes_are_normalised(tmp_path: Path) -> None:
    # The manifest's href uses '/', the zip entry '\\': they must meet.
    path = write_zip(
        tmp_path / "c.zip",
        {"./imsmanifest.xml": single_sco_12("content/index.html"), "content\\index.html": HTML},
    )
    with open_archive(path) as archive:
        assert archive.parse("c").root_activity.children[0].href == "content/index.html"
        assert {name for name, _ in archive.content()} == {"imsmanifest.xml", "content/index.html"}


def test_macos_litter_is_ignored(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "c.zip",
        scorm_files(
            **{
                "__MACOSX/._imsmanifest.xml": b"\x00\x05\x16\x07",
                "__MACOSX/sub/imsmanifest.xml": b"junk",
                "._index.html": b"\x00\x05\x16\x07",
            }
        ),
    )
    with open_archive(path) as archive:
        assert archive.parse("c").warnings == []
        assert {name for name, _ in archive.content()} == {"imsmanifest.xml", "index.html"}


def test_non_utf8_flagged_names_are_read_as_utf8(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "c.zip", {"imsmanifest.xml": single_sco_12("café.html"), "café.html": HTML})
    # Old zip tools write UTF-8 bytes without setting the UTF-8 flag.
    patch_entry(path, "café.html", clear_flags=0x800)
    with open_archive(path) as archive:
        assert archive.parse("c").root_activity.children[0].href == "café.html"
        assert {n: s.read() for n, s in archive.content()}["café.html"] == HTML


def test_manifest_in_a_folder_strips_the_folder_and_skips_outside_files(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "c.zip",
        {"course/imsmanifest.xml": single_sco_12(), "course/index.html": HTML, "readme.txt": b"not content"},
    )
    with open_archive(path) as archive:
        parsed = archive.parse("c")
        files = {name: stream.read() for name, stream in archive.content()}
    assert files == {"imsmanifest.xml": single_sco_12().encode(), "index.html": HTML}
    assert parsed.warnings[0] == (
        "The manifest was found in the folder 'course/' rather than at the package root; "
        "that folder was used as the course root."
    )
    assert "1 file outside the course folder 'course/' was ignored." in parsed.warnings


def test_errors_from_a_nested_manifest_name_the_folder(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "c.zip", {"pkg/imsmanifest.xml": "<manifest>"})
    with open_archive(path) as archive, pytest.raises(PackageError, match="found in the folder 'pkg/'"):
        archive.parse("c")


# --- not a zip ---------------------------------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.zip"
    path.write_bytes(b"")
    with pytest.raises(PackageError, match="^The uploaded file is empty$"):
        open_archive(path)


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "notes.zip"
    path.write_text("# just some markdown\n")
    with pytest.raises(PackageError, match="^The package is not a valid zip file: "):
        open_archive(path)


def test_truncated_zip(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "c.zip", scorm_files(**{"big.bin": bytes(range(256)) * 400}))
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(PackageError, match="^The package is not a valid zip file: "):
        open_archive(path)


def test_corrupt_entry_data_fails_while_streaming(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "c.zip", scorm_files(**{"a.txt": b"hello world" * 100}))
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("a.txt")
    data = bytearray(path.read_bytes())
    start, compressed = info.header_offset + 30 + len("a.txt"), info.compress_size  # data follows the local header
    data[start : start + compressed] = b"\xff" * compressed  # 0xff starts a deflate block of the reserved type
    path.write_bytes(bytes(data))
    with open_archive(path) as archive, pytest.raises(PackageError, match="'a.txt' cannot be"):
        drain(archive)


# --- hostile central directories ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../evil.html", "'../evil.html' points outside the package"),
        ("course/../../evil.html", "points outside the package"),
        ("course\\..\\..\\evil.html", "points outside the package"),
        ("/etc/passwd", "'/etc/passwd' has an absolute path"),
        ("C:\\Windows\\evil.dll", "has an absolute path"),
        ("c:/evil.dll", "has an absolute path"),
        ("\\\\server\\share\\evil.html", "has an absolute path"),
    ],
)
def test_hostile_names(tmp_path: Path, name: str, message: str) -> None:
    path = write_entries(tmp_path / "c.zip", [(zipfile.ZipInfo(name), b"x")])
    with pytest.raises(PackageError, match=re.escape(message)):
        open_archive(path)


def test_nul_byte_in_name(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "c.zip", {"evil.html@.png": b"x"})
    path.write_bytes(path.read_bytes().replace(b"evil.html@.png", b"evil.html\x00.png"))
    with pytest.raises(PackageError, match="NUL byte"):
        open_archive(path)


@pytest.mark.parametrize(("file_type", "kind"), [(SYMLINK, "a symbolic link"), (FIFO, "a named pipe")])
def test_links_and_special_files(tmp_path: Path, file_type: int, kind: str) -> None:
    path = write_entries(tmp_path / "c.zip", [(special_entry("index.html", file_type), b"/etc/passwd")])
    with pytest.raises(PackageError, match=f"'index.html' is {kind}"):
        open_archive(path)


def test_encrypted_entry(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "c.zip", scorm_files())
    patch_entry(path, "index.html", set_flags=0x1)
    with pytest.raises(PackageError, match="'index.html' is encrypted"):
        open_archive(path)


def test_duplicate_names_after_normalisation(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "c.zip", {"a/b.html": b"1", "a\\b.html": b"2"})
    with pytest.raises(PackageError, match="holds 'a/b.html' more than once"):
        open_archive(path)


def test_file_and_folder_with_the_same_name(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "c.zip", {"a": b"1", "a/b.html": b"2"})
    with pytest.raises(PackageError, match="both as a file and as a folder"):
        open_archive(path)


def test_too_many_entries(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "c.zip", {f"f{i}.txt": b"x" for i in range(6)})
    with pytest.raises(PackageError, match="has 6 zip entries; at most 5"):
        open_archive(path, ArchiveLimits(max_entries=5))


def test_too_many_entries_counted_in_the_zip64_end_record(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "c.zip", scorm_files())
    claim_zip64_entry_count(path, 70_000)
    with pytest.raises(PackageError, match="has 70000 zip entries; at most 10000"):
        open_archive(path)


def test_oversized_central_directory(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "c.zip", {"x" * 2000 + ".html": b""})
    with pytest.raises(PackageError, match=r"central directory is \d+ bytes, far too large"):
        open_archive(path, ArchiveLimits(max_entries=1))


def test_declared_total_too_large(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "c.zip", {"a.txt": b"x" * 150, "b.txt": b"y" * 150})
    with pytest.raises(PackageError, match="would decompress to 300 bytes; at most 200"):
        open_archive(path, ArchiveLimits(max_total_bytes=200))


def test_ratio_bomb_entry(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "bomb.zip", {"zeros.bin": bytes(3 * 1024 * 1024)})
    with pytest.raises(PackageError, match="'zeros.bin' would expand .* which looks like a zip bomb"):
        open_archive(path, ArchiveLimits(max_ratio=50))


def test_ratio_bomb_spread_over_small_entries(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "bomb.zip", {f"z{i}.bin": bytes(512 * 1024) for i in range(4)})
    with pytest.raises(PackageError, match="^The package would expand .* zip bomb"):
        open_archive(path, ArchiveLimits(max_ratio=50))


def test_small_highly_compressible_files_are_fine(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "c.zip", scorm_files(**{"blank.svg": b" " * 500_000}))
    with open_archive(path, ArchiveLimits(max_ratio=10)) as archive:
        assert archive.parse("c").title == "Test Course"


def test_entry_that_lies_about_its_size(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "c.zip", scorm_files(**{"big.js": b"var a = 1;\n" * 10_000}))
    patch_entry(path, "big.js", file_size=100)
    with open_archive(path) as archive, pytest.raises(PackageError, match="'big.js' cannot be decompressed"):
        drain(archive)


def test_descriptor_larger_than_allowed(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "c.zip", scorm_files())
    limits = ArchiveLimits(max_descriptor_bytes=100)
    with (
        open_archive(path, limits) as archive,
        pytest.raises(
            PackageError, match=r"^imsmanifest.xml is \d+ bytes, larger than the 100 bytes allowed for a descriptor$"
        ),
    ):
        archive.parse("c")


# --- the size-enforcing stream ------------------------------------------------------------------------------------


def test_limited_reader_refuses_more_than_declared() -> None:
    reader = LimitedReader(io.BytesIO(b"x" * 1000), "lie.bin", declared=10, budget=Budget(10_000))
    assert reader.read(5) == b"xxxxx"
    with pytest.raises(PackageError, match="'lie.bin' holds more data than the 10 bytes it declares"):
        reader.read(4096)


def test_limited_reader_refuses_read_all_past_declared() -> None:
    reader = LimitedReader(io.BytesIO(b"x" * 1000), "lie.bin", declared=10, budget=Budget(10_000))
    with pytest.raises(PackageError, match="holds more data"):
        reader.read()


def test_limited_reader_exact_size_is_fine() -> None:
    reader = LimitedReader(io.BytesIO(b"abc"), "ok.bin", declared=3, budget=Budget(3))
    buffer = bytearray(8)
    assert reader.readinto(buffer) == 3
    assert bytes(buffer[:3]) == b"abc"
    assert reader.read() == b""


def test_limited_reader_shares_the_total_budget() -> None:
    budget = Budget(15)
    LimitedReader(io.BytesIO(b"a" * 10), "a.bin", declared=10, budget=budget).read()
    second = LimitedReader(io.BytesIO(b"b" * 10), "b.bin", declared=10, budget=budget)
    with pytest.raises(PackageError, match="decompresses to more than the 15 bytes allowed"):
        second.read()
