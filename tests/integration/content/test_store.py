"""Content-addressed storage: versions share blobs, deletion frees exactly what nothing else uses."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import timedelta

from sqlalchemy import select

from coursehost.config import Settings
from coursehost.context import Context
from coursehost.models import ImportJob, utcnow
from tests.integration.conftest import Api
from tests.support.files import stored_bytes, stored_files
from tests.support.packages import ScormPackage

LOGO = b"\x89PNG\r\n\x1a\n" + b"logo" * 100


def package(extra: dict[str, bytes] | None = None, title: str = "C") -> bytes:
    return ScormPackage(title=title, extra_files={"images/logo.png": LOGO, **(extra or {})}).to_bytes()


def test_new_version_stores_only_changed_files(api: Api, settings: Settings) -> None:
    api.import_course("v", package())
    first = len(stored_files(settings.data_dir))
    assert first == 3  # manifest, index.html, logo
    api.import_course("v", package(), mayCreateNewVersion="true")
    assert len(stored_files(settings.data_dir)) == first
    api.import_course("v", package({"new.txt": b"only this is new"}), mayCreateNewVersion="true")
    assert len(stored_files(settings.data_dir)) == first + 1  # new.txt (the manifest does not list extra files)
    assert b"only this is new" in stored_bytes(settings.data_dir)


def test_courses_of_one_app_share_blobs_apps_do_not(api: Api, settings: Settings, make_app: object) -> None:
    api.import_course("a", package())
    api.import_course("b", package())
    assert len(stored_files(settings.data_dir)) == 3
    other = Api(api.client, make_app("other"))  # type: ignore[operator]
    other.import_course("a", package())
    assert len(stored_files(settings.data_dir)) == 6


def test_deleting_a_version_frees_only_unshared_blobs(api: Api, settings: Settings) -> None:
    api.import_course("d", package())
    api.import_course("d", package({"v1-only.txt": b"version one only"}), mayCreateNewVersion="true")
    assert b"version one only" in stored_bytes(settings.data_dir)
    assert api.request("DELETE", "/courses/d/versions/1", json={}).status_code == 204
    remaining = stored_bytes(settings.data_dir)
    assert b"version one only" not in remaining
    assert LOGO in remaining
    assert api.request("DELETE", "/courses/d", json={}).status_code == 204
    assert stored_files(settings.data_dir) == []


def test_deleting_one_course_keeps_blobs_another_uses(api: Api, settings: Settings) -> None:
    api.import_course("x", package())
    api.import_course("y", package({"y.txt": b"y only"}))
    assert api.request("DELETE", "/courses/y", json={}).status_code == 204
    remaining = stored_bytes(settings.data_dir)
    assert LOGO in remaining
    assert b"y only" not in remaining
    assert api.client.get(f"/content/courses/{api.app_id}/x/0/images/logo.png").content == LOGO


def test_failed_import_gives_back_the_blobs_it_stored(api: Api, settings: Settings) -> None:
    buffer = io.BytesIO(package({"zz-broken.bin": b"B" * 4096}))
    data = bytearray(buffer.getvalue())
    # Corrupt the last entry's data so reading it fails after the other files were stored.
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("zz-broken.bin")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 10] ^= 0xFF
    response = api.upload("broken", bytes(data))
    job = api.wait(response.json()["result"])
    assert job["status"] == "ERROR", job
    assert stored_files(settings.data_dir) == []


def test_a_package_of_many_files_is_stored_whole(api: Api, settings: Settings) -> None:
    """More files than one batch of the blob writer, files with the same bytes, and a file large enough to be
    spooled through a temporary file (content/writer.py)."""
    small = {f"pages/p{n % 9}/page{n:04d}.html": f"<p>page {n % 150}</p>".encode() for n in range(400)}
    large = os.urandom(3 * 1024 * 1024 + 17)
    api.import_course("many", package({**small, "media/film.bin": large, "media/copy.bin": large}))
    distinct = {*small.values(), large, LOGO}
    blobs = stored_bytes(settings.data_dir)
    assert distinct <= blobs
    assert len(stored_files(settings.data_dir)) == len(distinct) + 2  # and the manifest, index.html
    base = f"/content/courses/{api.app_id}/many/0/"
    assert api.client.get(base + "pages/p4/page0301.html").content == small["pages/p4/page0301.html"]
    assert api.client.get(base + "media/copy.bin").content == large
    files = api.request("GET", "/courses/many/asset", params={"relativePath": "media/film.bin"})
    assert files.status_code == 200
    assert files.content == large


def test_an_import_that_fails_after_many_files_gives_back_every_blob(api: Api, settings: Settings) -> None:
    """The writer threads have batches in flight when the broken entry is reached: all of them are given back."""
    api.import_course("kept", package())
    kept = stored_files(settings.data_dir)
    many = {f"f/{n:04d}.bin": os.urandom(3000) for n in range(600)}
    buffer = io.BytesIO(package({**many, "zz-broken.bin": b"B" * 4096}))
    data = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("zz-broken.bin")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 10] ^= 0xFF
    job = api.wait(api.upload("broken-many", bytes(data)).json()["result"])
    assert job["status"] == "ERROR", job
    assert sorted(stored_files(settings.data_dir)) == sorted(kept)


def test_collection_waits_while_another_import_runs(api: Api, ctx: Context, settings: Settings) -> None:
    api.import_course("w", package({"w.txt": b"w only"}))
    with ctx.db.session() as session:
        seed = session.scalars(select(ImportJob)).first()
        assert seed is not None
        session.add(
            ImportJob(
                id="in-flight", app_pk=seed.app_pk, course_id="other", state="running",
                lease_until=utcnow() + timedelta(hours=1), source_kind="upload", source="incoming/none", tags=[],
            )
        )  # fmt: skip
    assert api.request("DELETE", "/courses/w", json={}).status_code == 204
    assert b"w only" in stored_bytes(settings.data_dir)
    with ctx.db.session() as session:
        job = session.get(ImportJob, "in-flight")
        assert job is not None
        job.state = "error"
    assert ctx.content.collect_all() == 4
    assert stored_files(settings.data_dir) == []


def test_served_paths_fall_back_to_case_insensitive_match(api: Api) -> None:
    api.import_course("case", ScormPackage(extra_files={"Images/Logo.PNG": LOGO}).to_bytes())
    base = f"/content/courses/{api.app_id}/case/0/"
    assert api.client.get(base + "Images/Logo.PNG").content == LOGO
    assert api.client.get(base + "images/logo.png").content == LOGO
    assert api.client.get(base + "images/other.png").status_code == 404
