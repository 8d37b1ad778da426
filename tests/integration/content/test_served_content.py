"""Course files at ``webPathToCourse``: served read-only with an ETag and single byte ranges (media seeking)."""

from __future__ import annotations

import hashlib

from tests.integration.conftest import Api
from tests.support.packages import ScormPackage

CLIP = bytes(range(256)) * 40  # 10,240 bytes standing in for a video


def served_base(api: Api, course_id: str) -> str:
    package = ScormPackage(title="Served", extra_files={"media/clip.mp4": CLIP})
    job = api.import_course(course_id, package.to_bytes())
    web: str = job["importResult"]["webPathToCourse"]
    return web.removeprefix("http://testserver")


def test_whole_file_with_etag_and_revalidation(api: Api) -> None:
    base = served_base(api, "served")
    whole = api.client.get(base + "media/clip.mp4")
    assert whole.status_code == 200
    assert whole.content == CLIP
    assert whole.headers["content-type"] == "video/mp4"
    assert whole.headers["content-length"] == str(len(CLIP))
    assert whole.headers["accept-ranges"] == "bytes"
    assert whole.headers["etag"] == f'"{hashlib.sha256(CLIP).hexdigest()}"'
    again = api.client.get(base + "media/clip.mp4", headers={"If-None-Match": whole.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_byte_ranges(api: Api) -> None:
    base = served_base(api, "ranged")
    part = api.client.get(base + "media/clip.mp4", headers={"Range": "bytes=1000-1099"})
    assert part.status_code == 206
    assert part.content == CLIP[1000:1100]
    assert part.headers["content-range"] == f"bytes 1000-1099/{len(CLIP)}"
    tail = api.client.get(base + "media/clip.mp4", headers={"Range": "bytes=-16"})
    assert (tail.status_code, tail.content) == (206, CLIP[-16:])
    beyond = api.client.get(base + "media/clip.mp4", headers={"Range": f"bytes={len(CLIP)}-"})
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{len(CLIP)}"


def test_unknown_versions_apps_and_nul_bytes_are_404(api: Api) -> None:
    base = served_base(api, "nowhere")
    assert api.client.get(base.replace("/0/", "/3/") + "index.html").status_code == 404
    assert api.client.get(base.replace(api.app_id, "NOSUCHAPP") + "index.html").status_code == 404
    # PostgreSQL cannot even be asked about a NUL byte; the route answers 404 instead of failing.
    assert api.client.get(base.replace("nowhere", "no%00where") + "index.html").status_code == 404
    assert api.client.get(base.replace(api.app_id, "A%00B") + "index.html").status_code == 404


def test_file_names_with_percent_signs_and_spaces(api: Api) -> None:
    package = ScormPackage(title="Odd names", extra_files={"docs/100% sure.html": b"sure", "a%2Fb.txt": b"ab"})
    base = api.import_course("odd", package.to_bytes())["importResult"]["webPathToCourse"]
    base = base.removeprefix("http://testserver")
    assert api.client.get(base + "docs/100%25%20sure.html").content == b"sure"
    assert api.client.get(base + "a%252Fb.txt").content == b"ab"
