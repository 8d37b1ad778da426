"""content/cache.py: each map keeps to its bound, a drop takes exactly one version's entries, and an answer read
while a drop happened is not kept."""

from __future__ import annotations

from coursehost.content.cache import NOT_CACHED, CacheLimits, ServedFile, ServedFiles
from coursehost.kit.delivery import FileInfo


def entry(name: str) -> ServedFile:
    return ServedFile(name, FileInfo.of("ab" * 32, 3, "text/plain"))


def test_versions_and_files_keep_to_their_bounds_least_recently_used_first_out() -> None:
    served = ServedFiles(CacheLimits(versions=2, files=2))
    g = served.generation
    served.add_version(("A", "c", 0), (10, 1), g)
    served.add_version(("A", "c", 1), (11, 1), g)
    assert served.version(("A", "c", 0)) == (10, 1)  # now the most recently used
    served.add_version(("A", "c", 2), (12, 1), g)
    assert served.version(("A", "c", 1)) is None
    assert served.version(("A", "c", 0)) == (10, 1)
    served.add_file(10, "a.js", entry("a.js"), g)
    served.add_file(10, "b.js", None, g)
    served.add_file(11, "c.js", entry("c.js"), g)
    assert served.file(10, "a.js") is NOT_CACHED
    assert served.file(10, "b.js") is None  # known to be missing
    assert served.file(11, "c.js") == entry("c.js")
    assert served.sizes()[:2] == (2, 2)


def test_blobs_keep_to_their_byte_bound_and_large_files_are_not_kept() -> None:
    served = ServedFiles(CacheLimits(blob_bytes=10, file_bytes=6))
    served.add_blob(1, "a", b"12345")
    served.add_blob(1, "b", b"1234567")  # larger than a small file
    assert served.blob(1, "b") is None
    served.add_blob(1, "c", b"12345")
    assert served.sizes()[2] == 10
    served.add_blob(2, "a", b"1")
    assert served.blob(1, "a") is None
    assert (served.blob(1, "c"), served.blob(2, "a")) == (b"12345", b"1")
    assert served.sizes()[2] == 6


def test_a_drop_takes_one_version_and_none_takes_all() -> None:
    served = ServedFiles()
    g = served.generation
    served.add_version(("A", "c", 0), (10, 1), g)
    served.add_version(("A", "d", 0), (20, 1), g)
    served.add_file(10, "a.js", entry("a.js"), g)
    served.add_file(20, "a.js", entry("a.js"), g)
    served.add_blob(1, "ab" * 32, b"abc")
    served.forget_version("10")
    assert served.version(("A", "c", 0)) is None
    assert served.file(10, "a.js") is NOT_CACHED
    assert served.version(("A", "d", 0)) == (20, 1)
    assert served.file(20, "a.js") == entry("a.js")
    served.forget_version(None)
    assert served.sizes() == (0, 0, 3)  # blobs are content-addressed: never stale


def test_what_was_read_before_a_drop_is_not_kept() -> None:
    served = ServedFiles()
    before = served.generation
    served.forget_version("99")  # a drop lands while a lookup is reading the database
    served.add_version(("A", "c", 0), (10, 1), before)
    served.add_file(10, "a.js", entry("a.js"), before)
    assert served.version(("A", "c", 0)) is None
    assert served.file(10, "a.js") is NOT_CACHED
    served.add_file(10, "a.js", entry("a.js"), served.generation)
    assert served.file(10, "a.js") == entry("a.js")
