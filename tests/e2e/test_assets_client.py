"""Asset operations driven through the official Python client.

The client UTF-8-decodes every download whose Content-Type is not exactly application/zip, so text assets and
zips download with the generated methods as they are, while a binary asset must be fetched with
``_preload_content=False`` and read from the raw response (docs/assets.md says so for users).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import rustici_software_cloud_v2 as sc

from tests.e2e.conftest import PNG, LocalHttp, expect_api_error, import_course, unique_id
from tests.support.packages import ScormPackage


def test_asset_operations_through_the_client(api: sc.CourseApi, local_http: LocalHttp, tmp_path: Path) -> None:
    course = unique_id("assets")
    import_course(api, tmp_path, course, ScormPackage(title="Assets"))
    page = tmp_path / "extra.html"
    page.write_text("<html><body>extra</body></html>")

    uploaded = api.upload_course_asset_file(course, "/pages/extra.html", file=str(page))
    assert (uploaded.filename, uploaded.destination) == ("extra.html", "pages/extra.html")
    fetched = api.import_course_asset_file(
        course, sc.ImportAssetRequestSchema(fetch_url=local_http.add_file(PNG, suffix=".png"), destination="img/a.png")
    )
    assert fetched.destination == "img/a.png"
    listed = {f.path: f.size for f in api.get_course_file_list(course).files}
    assert listed["pages/extra.html"] == page.stat().st_size
    assert listed["img/a.png"] == len(PNG)

    downloaded = api.get_course_asset(course, "pages/extra.html")
    assert Path(downloaded).read_text() == page.read_text()
    raw = api.get_course_asset(course, "img/a.png", _preload_content=False)
    assert raw.data == PNG

    archive = api.get_course_zip(course)
    assert Path(archive).name == f"{course}_v0.zip"
    with zipfile.ZipFile(archive) as zf:
        assert zf.read("img/a.png") == PNG

    api.delete_course_asset(course, "pages/extra.html")
    assert "pages/extra.html" not in {f.path for f in api.get_course_file_list(course).files}
    expect_api_error(404, lambda: api.get_course_asset(course, "pages/extra.html"))
    expect_api_error(400, lambda: api.upload_course_asset_file(course, "../escape.html", file=str(page)))
    expect_api_error(
        409, lambda: api.upload_course_asset_file(course, "img/a.png", file=str(page), update_asset_policy="reject")
    )


def test_version_asset_operations_through_the_client(api: sc.CourseApi, local_http: LocalHttp, tmp_path: Path) -> None:
    course = unique_id("vassets")
    import_course(api, tmp_path, course)
    import_course(api, tmp_path, course, may_create_new_version=True)
    page = tmp_path / "v0.html"
    page.write_text("<html>v0</html>")
    api.upload_course_version_asset_file(course, 0, "v0.html", file=str(page))
    assert "v0.html" in {f.path for f in api.get_course_version_file_list(course, 0).files}
    assert "v0.html" not in {f.path for f in api.get_course_version_file_list(course, 1).files}
    assert Path(api.get_course_version_asset(course, 0, "v0.html")).read_text() == "<html>v0</html>"
    with zipfile.ZipFile(api.get_versioned_course_zip(course, 0)) as zf:
        assert "v0.html" in zf.namelist()
    api.delete_course_version_asset(course, 0, "v0.html")
    assert "v0.html" not in {f.path for f in api.get_course_version_file_list(course, 0).files}

    fetched = api.import_course_version_asset_file(
        course,
        1,
        sc.ImportAssetRequestSchema(fetch_url=local_http.add_file(PNG, suffix=".png"), destination="/img/b.png"),
    )
    assert fetched.destination == "img/b.png"
    assert {f.path: f.size for f in api.get_course_version_file_list(course, 1).files}["img/b.png"] == len(PNG)
    assert "img/b.png" not in {f.path for f in api.get_course_version_file_list(course, 0).files}
    assert api.get_course_version_asset(course, 1, "img/b.png", _preload_content=False).data == PNG
