"""The import pipeline through the ASGI app: conflicts, caps, all-or-nothing, races, recovery, postbacks."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from coursehost.config import Settings
from coursehost.context import Context
from coursehost.models import Course, CourseVersion, ImportJob, utcnow
from tests.integration.conftest import Api
from tests.support.files import stored_files
from tests.support.packages import ScormPackage, zip_bytes


def count(ctx: Context, model: Any) -> int:
    with ctx.db.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def leftover_files(settings: Settings) -> list[Path]:
    return stored_files(settings.data_dir)


def test_duplicate_without_flag_is_409_at_once(api: Api) -> None:
    api.import_course("dup", ScormPackage().to_bytes())
    response = api.upload("dup", ScormPackage().to_bytes())
    assert response.status_code == 409
    assert response.json()["message"].startswith("Course [dup] already exists")
    fetch = api.request("POST", "/courses/importJobs", params={"courseId": "dup"}, json={"url": "http://x.invalid/"})
    assert fetch.status_code == 409


def test_new_version_with_flag(api: Api) -> None:
    api.import_course("nv", ScormPackage().to_bytes())
    job = api.import_course("nv", ScormPackage(title="v1").to_bytes(), mayCreateNewVersion="True")
    assert job["importResult"]["course"]["version"] == 1


def test_import_result_shape_and_served_content(api: Api) -> None:
    job = api.import_course("shape", ScormPackage(title="Served").to_bytes(), tags="a,b")
    assert job["status"] == "COMPLETE"
    assert job["message"] == "Import Successful"
    result = job["importResult"]
    assert result["parserWarnings"] == []
    assert result["courseLanguages"] == []
    assert result["course"]["tags"] == ["a", "b"]
    web = result["webPathToCourse"]
    assert web == f"http://testserver/content/courses/{api.app_id}/shape/0/"
    page = api.client.get(web.removeprefix("http://testserver") + "index.html")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert b"SCO" in page.content
    assert api.client.get(web.removeprefix("http://testserver") + "..%2Fsecret").status_code == 404
    assert api.client.get(web.removeprefix("http://testserver") + "missing.html").status_code == 404


@pytest.mark.parametrize(
    ("files", "needle"),
    [
        ({"index.html": "x"}, "imsmanifest.xml"),
        ({"imsmanifest.xml": "<manifest><organizations"}, "line"),
        (
            {
                "imsmanifest.xml": ScormPackage()
                .manifest()
                .replace('identifierref="res_item_1"', 'identifierref="nope"')
            },
            "nope",
        ),
        ({"imsmanifest.xml": ScormPackage().manifest()}, "index.html"),
    ],
)
def test_bad_package_ends_in_error_and_leaves_nothing(
    api: Api, ctx: Context, settings: Settings, files: dict[str, str], needle: str
) -> None:
    response = api.upload("bad", zip_bytes(dict(files)))
    assert response.status_code == 200
    job = api.wait(response.json()["result"])
    assert job["status"] == "ERROR"
    assert needle in job["message"]
    assert "importResult" not in job
    assert api.request("GET", "/courses/bad").status_code == 404
    assert count(ctx, Course) == 0
    assert count(ctx, CourseVersion) == 0
    assert leftover_files(settings) == []
    # The id was released, so a good package can take it without mayCreateNewVersion.
    api.import_course("bad", ScormPackage().to_bytes())


def test_not_a_zip_is_error(api: Api) -> None:
    job = api.wait(api.upload("nz", b"this is not a zip").json()["result"])
    assert job["status"] == "ERROR"
    assert "zip" in job["message"].lower()


def test_missing_file_part_is_400(api: Api) -> None:
    response = api.request("POST", "/courses/importJobs/upload", params={"courseId": "x"}, data={"a": "b"})
    assert response.status_code == 400
    assert "file" in response.json()["message"]
    response = api.request("POST", "/courses/importJobs/upload", params={"courseId": "x"}, content=b"raw")
    assert response.status_code == 400


def test_missing_course_id_is_400(api: Api) -> None:
    response = api.request("POST", "/courses/importJobs/upload", files={"file": ("c.zip", b"x", "application/zip")})
    assert response.status_code == 400
    assert "courseId" in response.json()["message"]


def test_unsupported_content_type_header_is_400(api: Api) -> None:
    response = api.request(
        "POST",
        "/courses/importJobs/upload",
        params={"courseId": "m"},
        files={"file": ("c.pdf", b"%PDF-1.4", "application/pdf")},
        headers={"uploadedContentType": "text/plain"},
    )
    assert response.status_code == 400


def test_upload_over_cap_is_413_and_leaves_no_file(
    client: TestClient, auth: dict[str, str], settings: Settings
) -> None:
    settings.max_upload_bytes = 10_000
    api = Api(client, auth)
    response = api.upload("big", b"\0" * 50_000)
    assert response.status_code == 413
    assert "10000" in response.json()["message"]
    assert leftover_files(settings) == []
    assert api.request("GET", "/courses/big").status_code == 404


def test_unknown_job_is_404(api: Api) -> None:
    assert api.request("GET", "/courses/importJobs/00000000-0000-0000-0000-000000000000").status_code == 404


def test_job_expires_after_retention(api: Api, ctx: Context) -> None:
    job_id = api.import_course("ret", ScormPackage().to_bytes())["jobId"]
    with ctx.db.session() as session:
        job = session.get(ImportJob, job_id)
        assert job is not None
        job.finished = utcnow() - timedelta(days=7, minutes=1)
    assert api.request("GET", f"/courses/importJobs/{job_id}").status_code == 404


def test_concurrent_imports_of_a_new_id(api: Api, ctx: Context) -> None:
    data = ScormPackage().to_bytes()
    results: list[int] = []

    def post() -> None:
        results.append(api.upload("race", data).status_code)

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 409, 409, 409]
    with ctx.db.session() as session:
        job_ids = list(session.scalars(select(ImportJob.id)))
    assert [api.wait(j)["status"] for j in job_ids] == ["COMPLETE"]
    assert count(ctx, Course) == 1


def test_concurrent_new_versions_all_land(api: Api, ctx: Context) -> None:
    data = ScormPackage().to_bytes()
    job_ids: list[str] = []

    def post() -> None:
        response = api.upload("many", data, mayCreateNewVersion="true")
        assert response.status_code == 200
        job_ids.append(response.json()["result"])

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [api.wait(j)["status"] for j in job_ids] == ["COMPLETE"] * 4
    versions = api.request("GET", "/courses/many/versions").json()["courses"]
    assert [v["version"] for v in versions] == [0, 1, 2, 3]


def test_postback_receives_result(api: Api) -> None:
    from tests.support.httpserver import local_server

    with local_server() as server:
        response = api.upload("pb", ScormPackage().to_bytes(), postbackUrl=server.url("/hook"))
        job_id = response.json()["result"]
        assert server.received.wait(10)
    path, payload = server.posts[0]
    assert path == "/hook"
    assert payload["jobId"] == job_id
    assert payload["status"] == "COMPLETE"
    assert payload["importResult"]["course"]["id"] == "pb"


def test_failing_postback_does_not_change_result(api: Api) -> None:
    from tests.support.httpserver import Route, local_server

    with local_server() as server:
        server.routes["/hook"] = Route(status=500)
        response = api.upload("pbf", ScormPackage().to_bytes(), postbackUrl=server.url("/hook"))
        job = api.wait(response.json()["result"])
        assert job["status"] == "COMPLETE"
        deadline = threading.Event()
        deadline.wait(0.5)
    assert len(server.posts) >= 2  # retried
    assert api.wait(response.json()["result"])["status"] == "COMPLETE"


def test_bad_postback_url_is_400(api: Api) -> None:
    response = api.upload("pbu", ScormPackage().to_bytes(), postbackUrl="ftp://example.com/x")
    assert response.status_code == 400
    assert "postbackUrl" in response.json()["message"]


def test_fetch_import_and_errors(api: Api) -> None:
    from tests.support.httpserver import Route, local_server

    with local_server() as server:
        server.routes["/course.zip"] = Route(body=ScormPackage(title="Fetched").to_bytes())
        server.routes["/loop"] = Route(status=302, headers={"Location": "/loop"})
        server.routes["/moved"] = Route(status=301, headers={"Location": "/course.zip"})
        server.routes["/huge"] = Route(body=b"\0" * 20_000)

        def fetch(course_id: str, path: str, noupload: bool = False) -> dict[str, Any]:
            body: dict[str, Any] = {"url": server.url(path)}
            url = "/courses/importJobs/noUpload" if noupload else "/courses/importJobs"
            response = api.request(
                "POST", url, params={"courseId": course_id}, json={"fetchRequest": body} if noupload else body
            )
            assert response.status_code == 200, response.text
            return api.wait(response.json()["result"])

        assert fetch("f1", "/course.zip")["importResult"]["course"]["title"] == "Fetched"
        assert fetch("f2", "/moved", noupload=True)["status"] == "COMPLETE"
        missing = fetch("f3", "/missing")
        assert (missing["status"], "HTTP 404" in missing["message"]) == ("ERROR", True)
        loop = fetch("f4", "/loop")
        assert "redirects" in loop["message"]
        api.client.app.state.ctx.settings.max_upload_bytes = 10_000  # type: ignore[attr-defined]
        huge = fetch("f5", "/huge")
        assert "limit" in huge["message"]


def test_fetch_requires_http_url(api: Api) -> None:
    for url in ("file:///etc/passwd", "not a url", "ftp://x/y.zip"):
        response = api.request("POST", "/courses/importJobs", params={"courseId": "u"}, json={"url": url})
        assert response.status_code == 400, url


def test_no_upload_needs_exactly_one_request(api: Api) -> None:
    assert api.request("POST", "/courses/importJobs/noUpload", params={"courseId": "n"}, json={}).status_code == 400
    both = {
        "fetchRequest": {"url": "http://example.com/a.zip"},
        "mediaFileReferenceRequest": {"url": "http://example.com/a.mp4", "contentType": "video/mp4"},
    }
    response = api.request("POST", "/courses/importJobs/noUpload", params={"courseId": "n"}, json=both)
    assert response.status_code == 400
    assert "exactly one" in response.json()["message"]
    connector = {"connectorReferenceRequest": {"connectorId": "lti"}}
    response = api.request("POST", "/courses/importJobs/noUpload", params={"courseId": "n"}, json=connector)
    assert response.status_code == 400
    assert "not supported" in response.json()["message"]


def test_interrupted_job_is_picked_up_again(client: TestClient, auth: dict[str, str], ctx: Context) -> None:
    """A job left RUNNING by a dead process (its lease ran out) is claimed and finished by a live worker."""
    api = Api(client, auth)
    job_id = api.import_course("seed", ScormPackage().to_bytes())["jobId"]
    with ctx.db.session() as session:
        seed = session.get(ImportJob, job_id)
        assert seed is not None
        app_pk = seed.app_pk
    handle, tmp = ctx.storage.temp_file()
    with handle:
        handle.write(ScormPackage(title="Recovered").to_bytes())
    ctx.storage.put_file("incoming/crashed", tmp)
    with ctx.db.session() as session:
        session.add(Course(app_pk=app_pk, course_id="crashed", title="crashed", latest_version=None))
        session.add(
            ImportJob(
                id="crashed-job",
                app_pk=app_pk,
                course_id="crashed",
                state="running",
                attempts=1,
                lease_until=utcnow() - timedelta(seconds=1),
                source_kind="upload",
                source="incoming/crashed",
                tags=[],
            )
        )
    ctx.wakeup.notify()
    job = api.wait("crashed-job")
    assert job["status"] == "COMPLETE"
    assert job["importResult"]["course"]["title"] == "Recovered"


def test_job_interrupted_too_often_ends_in_error(api: Api, ctx: Context, settings: Settings) -> None:
    job_id = api.import_course("seed2", ScormPackage().to_bytes())["jobId"]
    with ctx.db.session() as session:
        seed = session.get(ImportJob, job_id)
        assert seed is not None
        session.add(Course(app_pk=seed.app_pk, course_id="doomed", title="doomed", latest_version=None))
        session.add(
            ImportJob(
                id="doomed",
                app_pk=seed.app_pk,
                course_id="doomed",
                state="running",
                attempts=settings.job_max_attempts,
                lease_until=utcnow() - timedelta(seconds=1),
                source_kind="upload",
                source="incoming/doomed",
                tags=[],
            )
        )
    ctx.wakeup.notify()
    job = api.wait("doomed")
    assert job["status"] == "ERROR"
    assert "interrupted" in job["message"]
    with ctx.db.session() as session:
        assert session.scalar(select(Course).where(Course.course_id == "doomed")) is None
