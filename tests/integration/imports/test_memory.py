"""Repeated large requests hold no memory (issue 10: a server grew after very large tag sets and a 50,000-item
manifest). After two warm-up rounds, further identical rounds of the largest requests the caps allow (100 tags of 128
four-byte characters, 500-character titles, a batch of 1,000 ids, refused oversized bodies) and an import of a
manifest with thousands of items, must leave nothing allocated behind them: every Python allocation made during those
rounds is traced (tracemalloc), and what is still alive at the end must stay under a small bound. RSS itself is
measured by bench/memory_rss.py (it also counts allocator fragmentation, which no test can bound reliably)."""

from __future__ import annotations

import gc
import io
import tracemalloc
import zipfile

from tests.integration.conftest import Api
from tests.support.packages import NS_12

WIDE = "\U0001d11e"
ITEMS = 3000
ROUNDS = 3
BOUND = 1_500_000  # bytes still alive from the measured rounds (the tracebacks' own bookkeeping is not counted)


def big_manifest(items: int) -> bytes:
    entries = "".join(
        f'<item identifier="i{n}" identifierref="r"><title>Lesson {n}</title></item>' for n in range(items)
    )
    manifest = (
        f'<?xml version="1.0" encoding="UTF-8"?><manifest identifier="m" version="1" {NS_12}>'
        "<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>"
        f'<organizations default="o"><organization identifier="o"><title>{"T" * 20_000}</title>{entries}'
        '</organization></organizations><resources><resource identifier="r" type="webcontent" '
        'adlcp:scormtype="sco" href="index.html"><file href="index.html"/></resource></resources></manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("imsmanifest.xml", manifest)
        zf.writestr("index.html", "<html></html>")
    return buffer.getvalue()


def one_round(api: Api, package: bytes, number: int) -> None:
    tags = [f"{i:03d}" + WIDE * 125 for i in range(100)]
    assert api.request("DELETE", "/courses/small/tags", json={"tags": tags}).status_code == 204
    assert api.request("PUT", "/courses/small/tags", json={"tags": tags}).status_code == 204
    assert (
        api.request("PUT", "/courses/small/title", json={"title": (f"{number} " + WIDE * 500)[:500]}).status_code == 204
    )
    assert api.request("PUT", "/courses/tags", json={"ids": ["small"] * 1000, "tags": tags}).status_code == 204
    assert api.request("PUT", "/courses/small/tags", json={"tags": [str(i) for i in range(50_000)]}).status_code == 400
    assert api.request("PUT", "/courses/small/title", json={"title": "x" * 1_000_000}).status_code == 400
    job = api.import_course("big", package, mayCreateNewVersion="true")
    version = job["importResult"]["course"]["version"]
    assert api.request("GET", "/courses/big", params={"includeCourseMetadata": "true"}).status_code == 200
    assert api.request("DELETE", f"/courses/big/versions/{version - 1}").status_code == 204
    assert api.request("GET", "/courses", params={"includeCourseMetadata": "true"}).status_code == 200


def test_repeated_large_requests_leave_nothing_behind(api: Api) -> None:
    package = big_manifest(ITEMS)
    api.import_course("small", big_manifest(1))
    api.import_course("big", package)
    for number in range(2):
        one_round(api, package, number)
    gc.collect()
    tracemalloc.start()
    try:
        for number in range(2, 2 + ROUNDS):
            one_round(api, package, number)
        gc.collect()
        alive, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert alive < BOUND, f"{alive} bytes allocated during {ROUNDS} rounds are still alive"
