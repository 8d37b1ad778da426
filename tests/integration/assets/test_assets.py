"""Asset operations through the ASGI app: change, list, download, delete, export."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

import pytest

from coursehost.config import Settings
from tests.integration.conftest import Api
from tests.support.files import stored_files
from tests.support.httpserver import Route, local_server
from tests.support.packages import Sco, ScormPackage

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def upload(api: Api, path: str, data: bytes, destination: str | None, **params: Any) -> Any:
    return api.request(
        "POST",
        path,
        params=params,
        files={"file": ("logo.png", data, "image/png")},
        data={"destination": destination} if destination is not None else None,
    )


@pytest.fixture
def course(api: Api) -> str:
    api.import_course("c", ScormPackage(title="Original").to_bytes())
    return "c"


def test_upload_is_visible_everywhere(api: Api, course: str) -> None:
    before = api.request("GET", "/courses/c").json()["updated"]
    time.sleep(0.01)
    response = upload(api, "/courses/c/asset/upload", PNG, "/images/logo.png")
    assert response.status_code == 200, response.text
    assert response.json() == {"filename": "logo.png", "destination": "images/logo.png"}
    files = {f["path"]: f for f in api.request("GET", "/courses/c/asset/list").json()["files"]}
    assert files["images/logo.png"]["size"] == len(PNG)
    assert set(files) == {"imsmanifest.xml", "index.html", "images/logo.png"}
    download = api.request("GET", "/courses/c/asset", params={"relativePath": "/images/logo.png"})
    assert (download.status_code, download.content) == (200, PNG)
    assert download.headers["content-type"] == "image/png"
    assert api.client.get(f"/content/courses/{api.app_id}/c/0/images/logo.png").content == PNG
    with zipfile.ZipFile(io.BytesIO(api.request("GET", "/courses/c/zip").content)) as zf:
        assert zf.read("images/logo.png") == PNG
    assert api.request("GET", "/courses/c").json()["updated"] > before


def test_version_assets_are_independent(api: Api, course: str) -> None:
    api.import_course("c", ScormPackage().to_bytes(), mayCreateNewVersion="true")
    assert upload(api, "/courses/c/versions/0/asset/upload", PNG, "only-v0.png").status_code == 200
    v0 = {f["path"] for f in api.request("GET", "/courses/c/versions/0/asset/list").json()["files"]}
    v1 = {f["path"] for f in api.request("GET", "/courses/c/versions/1/asset/list").json()["files"]}
    assert "only-v0.png" in v0
    assert "only-v0.png" not in v1
    assert api.request("GET", "/courses/c/versions/1/asset", params={"relativePath": "only-v0.png"}).status_code == 404
    assert api.request("GET", "/courses/c/versions/0/asset", params={"relativePath": "only-v0.png"}).content == PNG


def test_update_asset_policies(api: Api, course: str) -> None:
    assert upload(api, "/courses/c/asset/upload", PNG, "index.html", updateAssetPolicy="reject").status_code == 409
    assert upload(api, "/courses/c/asset/upload", PNG, "new.png", updateAssetPolicy="strict").status_code == 404
    assert upload(api, "/courses/c/asset/upload", PNG, "new.png", updateAssetPolicy="reject").status_code == 200
    assert upload(api, "/courses/c/asset/upload", b"v2", "new.png", updateAssetPolicy="strict").status_code == 200
    assert upload(api, "/courses/c/asset/upload", b"v3", "new.png").status_code == 200
    assert api.request("GET", "/courses/c/asset", params={"relativePath": "new.png"}).content == b"v3"
    assert upload(api, "/courses/c/asset/upload", PNG, "x.png", updateAssetPolicy="sometimes").status_code == 400


@pytest.mark.parametrize(
    "destination",
    ["../escape.html", "a/../../b", "C:\\windows\\x", "a\\b", "nul\x00byte", "", "a//b", "./a", "x" * 1100, "//etc"],
)
def test_bad_destinations_are_refused(api: Api, course: str, settings: Settings, destination: str) -> None:
    before = len(stored_files(settings.data_dir))
    response = upload(api, "/courses/c/asset/upload", PNG, destination)
    assert response.status_code == 400, response.text
    assert "destination" in response.json()["message"]
    assert len(stored_files(settings.data_dir)) == before


def test_missing_destination_or_file_is_400(api: Api, course: str) -> None:
    assert upload(api, "/courses/c/asset/upload", PNG, None).status_code == 400
    response = api.request("POST", "/courses/c/asset/upload", data={"destination": "x"})
    assert response.status_code == 400


def test_unknown_course_or_version_is_404(api: Api, course: str) -> None:
    assert upload(api, "/courses/none/asset/upload", PNG, "a.png").status_code == 404
    assert upload(api, "/courses/c/versions/9/asset/upload", PNG, "a.png").status_code == 404
    assert api.request("GET", "/courses/none/asset/list").status_code == 404
    assert api.request("GET", "/courses/c/versions/9/zip").status_code == 404


def test_fetch_asset(api: Api, course: str) -> None:
    with local_server() as server:
        server.routes["/logo.png"] = Route(body=PNG)
        server.routes["/big"] = Route(body=b"\0" * 20_000)
        body = {"fetchUrl": server.url("/logo.png"), "destination": "/img/fetched.png"}
        response = api.request("POST", "/courses/c/asset", json=body)
        assert response.status_code == 200, response.text
        assert response.json()["destination"] == "img/fetched.png"
        assert api.request("GET", "/courses/c/asset", params={"relativePath": "img/fetched.png"}).content == PNG
        missing = api.request("POST", "/courses/c/asset", json={"fetchUrl": server.url("/none"), "destination": "x"})
        assert missing.status_code == 400
        assert "HTTP 404" in missing.json()["message"]
        api.client.app.state.ctx.settings.max_upload_bytes = 10_000  # type: ignore[attr-defined]
        big = api.request(
            "POST", "/courses/c/versions/0/asset", json={"fetchUrl": server.url("/big"), "destination": "b"}
        )
        assert big.status_code == 400
        assert "limit" in big.json()["message"]
    bad = api.request("POST", "/courses/c/asset", json={"fetchUrl": "file:///etc/passwd", "destination": "x"})
    assert bad.status_code == 400


def test_changed_manifest_is_reparsed(api: Api, course: str) -> None:
    new = ScormPackage(title="Renamed", scos=[Sco("a", "A", "index.html"), Sco("b", "B", "index.html")])
    response = upload(api, "/courses/c/asset/upload", new.manifest().encode(), "imsmanifest.xml")
    assert response.status_code == 200, response.text
    body = api.request("GET", "/courses/c").json()
    assert body["title"] == "Renamed"
    assert [a["itemIdentifier"] for a in body["rootActivity"]["children"]] == ["a", "b"]


def test_broken_manifest_change_is_refused(api: Api, course: str) -> None:
    broken = ScormPackage(scos=[Sco("a", "A", "missing.html")]).manifest().encode()
    response = upload(api, "/courses/c/asset/upload", broken, "imsmanifest.xml")
    assert response.status_code == 400
    assert "missing.html" in response.json()["message"]
    assert api.request("GET", "/courses/c").json()["title"] == "Original"
    served = api.request("GET", "/courses/c/asset", params={"relativePath": "imsmanifest.xml"}).content
    assert b"Original" in served
    not_xml = upload(api, "/courses/c/asset/upload", b"<manifest", "imsmanifest.xml")
    assert not_xml.status_code == 400


def test_delete_asset(api: Api, course: str) -> None:
    upload(api, "/courses/c/asset/upload", PNG, "gone.png")
    assert api.request("DELETE", "/courses/c/asset", params={"relativePath": "gone.png"}).status_code == 204
    assert api.request("GET", "/courses/c/asset", params={"relativePath": "gone.png"}).status_code == 404
    assert api.request("DELETE", "/courses/c/asset", params={"relativePath": "gone.png"}).status_code == 404
    manifest = api.request("DELETE", "/courses/c/versions/0/asset", params={"relativePath": "imsmanifest.xml"})
    assert manifest.status_code == 400
    assert api.request("DELETE", "/courses/c/asset", params={"relativePath": "../x"}).status_code == 400


def test_download_headers_etag_and_ranges(api: Api, course: str) -> None:
    upload(api, "/courses/c/asset/upload", PNG, "my logo.png")
    params = {"relativePath": "my logo.png"}
    full = api.request("GET", "/courses/c/asset", params=params)
    assert full.headers["content-length"] == str(len(PNG))
    assert 'filename="my_logo.png"' in full.headers["content-disposition"]
    etag = full.headers["etag"]
    assert api.request("GET", "/courses/c/asset", params=params, headers={"If-None-Match": etag}).status_code == 304
    part = api.request("GET", "/courses/c/asset", params=params, headers={"Range": "bytes=10-19"})
    assert (part.status_code, part.content) == (206, PNG[10:20])
    assert part.headers["content-range"] == f"bytes 10-19/{len(PNG)}"
    tail = api.request("GET", "/courses/c/asset", params=params, headers={"Range": "bytes=-5"})
    assert tail.content == PNG[-5:]
    beyond = api.request("GET", "/courses/c/asset", params=params, headers={"Range": f"bytes={len(PNG)}-"})
    assert beyond.status_code == 416


def test_zip_download_headers(api: Api, course: str) -> None:
    response = api.request("GET", "/courses/c/zip")
    assert response.headers["content-type"] == "application/zip"
    assert 'filename="c_v0.zip"' in response.headers["content-disposition"]
    upload(api, "/courses/c/asset/upload", response.content, "inner.zip")
    inner = api.request("GET", "/courses/c/asset", params={"relativePath": "inner.zip"})
    assert inner.headers["content-type"] == "application/zip"
