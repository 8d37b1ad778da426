"""The three import operations and GetImportJobStatus, driven through the official client's ``CourseApi``; plus the
OpenAPI document and the ``coursehost import`` CLI against the same database."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import httpx
import pytest
import rustici_software_cloud_v2 as sc

from tests.e2e.conftest import (
    SCO_RESOURCE,
    UPLOAD_LIMIT,
    Credentials,
    LocalHttp,
    Server,
    Store,
    error_message,
    expect_api_error,
    fetch_content,
    free_port,
    html,
    import_course,
    manifest_12,
    run_cli,
    start_upload,
    unique_id,
    version_numbers,
    wait_for_job,
    write_package,
)
from tests.support.packages import Sco, ScormPackage, zip_bytes

OPERATION_IDS = {
    "createUploadAndImportCourseJob",
    "createFetchAndImportCourseJob",
    "createNoUploadAndImportCourseJob",
    "getImportJobStatus",
    "getCourse",
    "getCourses",
    "getCourseVersions",
    "getCourseVersionInfo",
    "deleteCourse",
    "deleteCourseVersion",
    "getCourseTags",
    "putCourseTags",
    "deleteCourseTags",
    "putCourseTagsBatch",
    "setCourseTitle",
}


# ------------------------------------------------------------------------------------------------------- imports


def test_upload_import_with_tags_builds_the_course_and_serves_its_files(api: sc.CourseApi, tmp_path: Path) -> None:
    course_id = unique_id("upload")
    package = ScormPackage(
        title="Upload Course",
        scos=[
            Sco("item_1", "Lesson 1", "index.html", body=html("first lesson")),
            Sco("item_2", "Lesson 2", "lessons/two/page.html", body=html("second lesson")),
        ],
        extra_files={"shared/style.css": b"body { color: red }"},
    )
    job = import_course(api, tmp_path, course_id, package, tags=["beta", "alpha"])

    result = job.import_result
    assert result.parser_warnings == []
    course = result.course
    assert (course.id, course.title, course.version) == (course_id, "Upload Course", 0)
    assert course.course_learning_standard == "SCORM12"
    assert sorted(course.tags) == ["alpha", "beta"]
    root = course.root_activity
    assert (root.activity_type, root.title, root.item_identifier) == ("AGGREGATION", "Upload Course", "org")
    assert [(c.item_identifier, c.activity_type, c.title, c.href) for c in root.children] == [
        ("item_1", "SCO", "Lesson 1", "index.html"),
        ("item_2", "SCO", "Lesson 2", "lessons/two/page.html"),
    ]

    web_path = result.web_path_to_course
    assert web_path.startswith(("http://", "https://"))
    first = fetch_content(web_path.rstrip("/") + "/index.html")
    assert first.status_code == 200
    assert first.content == html("first lesson")
    assert first.headers["content-type"].startswith("text/html")
    assert fetch_content(web_path.rstrip("/") + "/lessons/two/page.html").content == html("second lesson")
    assert fetch_content(web_path.rstrip("/") + "/shared/style.css").content == b"body { color: red }"
    assert fetch_content(web_path.rstrip("/") + "/no/such/file.html").status_code == 404

    fetched = api.get_course(course_id)
    assert (fetched.id, fetched.title, fetched.version, sorted(fetched.tags)) == (
        course_id,
        "Upload Course",
        0,
        ["alpha", "beta"],
    )
    assert fetched.root_activity.children[1].href == "lessons/two/page.html"
    assert fetched.created is not None
    assert fetched.created.tzinfo is not None


def test_fetch_job_is_running_until_the_package_arrives(
    api: sc.CourseApi, local_http: LocalHttp, tmp_path: Path
) -> None:
    course_id = unique_id("fetch")
    gate = threading.Event()
    url = local_http.add_file(ScormPackage(title="Fetched Course").to_bytes(), gate=gate)
    job_id = api.create_fetch_and_import_course_job(
        course_id, sc.ImportFetchRequestSchema(url=url), tags=["fetched"]
    ).result
    try:
        for _ in range(3):
            running = api.get_import_job_status(job_id)
            assert (running.job_id, running.status) == (job_id, "RUNNING")
            assert running.import_result is None
        # A course whose first import is still running is invisible, but its id is taken.
        expect_api_error(404, lambda: api.get_course(course_id))
        assert api.get_courses(filter=course_id).courses == []
        exc = expect_api_error(409, lambda: start_upload(api, tmp_path, course_id, ScormPackage()))
        assert course_id in error_message(exc)
    finally:
        gate.set()
    job = wait_for_job(api, job_id)
    assert job.status == "COMPLETE", job.message
    assert job.import_result.course.title == "Fetched Course"
    assert job.import_result.course.tags == ["fetched"]
    assert fetch_content(job.import_result.web_path_to_course.rstrip("/") + "/index.html").status_code == 200
    course = api.get_course(course_id)
    assert (course.version, course.tags) == (0, ["fetched"])


def test_no_upload_import_with_a_fetch_request(api: sc.CourseApi, local_http: LocalHttp) -> None:
    course_id = unique_id("noupload")
    first = local_http.add_file(ScormPackage(title="No Upload v0").to_bytes())
    request = sc.ImportRequestSchema(fetch_request=sc.ImportFetchRequestSchema(url=first))
    job = wait_for_job(api, api.create_no_upload_and_import_course_job(course_id, request, tags=["nu"]).result)
    assert job.status == "COMPLETE", job.message
    assert (job.import_result.course.id, job.import_result.course.version) == (course_id, 0)

    second = local_http.add_file(ScormPackage(title="No Upload v1").to_bytes())
    request = sc.ImportRequestSchema(fetch_request=sc.ImportFetchRequestSchema(url=second))
    expect_api_error(409, lambda: api.create_no_upload_and_import_course_job(course_id, request))
    job_id = api.create_no_upload_and_import_course_job(course_id, request, may_create_new_version=True).result
    job = wait_for_job(api, job_id)
    assert job.status == "COMPLETE", job.message
    course = api.get_course(course_id)
    assert (course.version, course.title, course.tags) == (1, "No Upload v1", ["nu"])


def test_duplicate_import_without_the_flag_is_409_at_once(
    api: sc.CourseApi, local_http: LocalHttp, tmp_path: Path
) -> None:
    course_id = unique_id("dup")
    import_course(api, tmp_path, course_id, ScormPackage(title="Original"))
    package = ScormPackage(title="Second")
    url = local_http.add_file(package.to_bytes())

    exc = expect_api_error(409, lambda: start_upload(api, tmp_path, course_id, package))
    assert f"Course [{course_id}] already exists" in error_message(exc)
    expect_api_error(409, lambda: start_upload(api, tmp_path, course_id, package, may_create_new_version=False))
    expect_api_error(
        409, lambda: api.create_fetch_and_import_course_job(course_id, sc.ImportFetchRequestSchema(url=url))
    )
    no_upload = sc.ImportRequestSchema(fetch_request=sc.ImportFetchRequestSchema(url=url))
    expect_api_error(409, lambda: api.create_no_upload_and_import_course_job(course_id, no_upload))
    assert version_numbers(api, course_id) == [0]
    assert api.get_course(course_id).title == "Original"

    job = import_course(api, tmp_path, course_id, package, may_create_new_version=True)
    assert job.import_result.course.version == 1
    assert version_numbers(api, course_id) == [0, 1]
    assert api.get_course(course_id).title == "Second"


def test_concurrent_imports_of_one_new_course_become_consecutive_versions(api: sc.CourseApi, tmp_path: Path) -> None:
    course_id = unique_id("race")
    titles = [f"Parallel {n}" for n in range(4)]
    jobs = [
        start_upload(api, tmp_path, course_id, ScormPackage(title=title), may_create_new_version=True)
        for title in titles
    ]
    results = [wait_for_job(api, job_id) for job_id in jobs]
    assert [r.status for r in results] == ["COMPLETE"] * 4, [r.message for r in results]
    assert sorted(r.import_result.course.version for r in results) == [0, 1, 2, 3]
    versions = api.get_course_versions(course_id).courses
    assert [v.version for v in versions] == [0, 1, 2, 3]
    assert sorted(v.title for v in versions) == sorted(titles)
    assert api.get_course(course_id).version == 3


def test_bad_import_requests_are_400(api: sc.CourseApi, tmp_path: Path) -> None:
    fetch = sc.ImportFetchRequestSchema(url="ftp://example.invalid/course.zip")
    expect_api_error(400, lambda: api.create_fetch_and_import_course_job(unique_id("ftp"), fetch))
    expect_api_error(400, lambda: start_upload(api, tmp_path, "", ScormPackage()))
    expect_api_error(400, lambda: start_upload(api, tmp_path, "x" * 256, ScormPackage()))
    course_id = unique_id("bad-postback")
    expect_api_error(400, lambda: start_upload(api, tmp_path, course_id, ScormPackage(), postback_url="not a url"))
    expect_api_error(404, lambda: api.get_course(course_id))


@pytest.mark.parametrize("excess", [1, 2 * 1024 * 1024], ids=["just-over", "far-over"])
def test_packages_over_the_size_limit_are_refused(
    api: sc.CourseApi, local_http: LocalHttp, tmp_path: Path, excess: int
) -> None:
    # Random bytes do not compress, so the zip is a little over UPLOAD_LIMIT + excess.
    big = zip_bytes(
        {
            "imsmanifest.xml": ScormPackage().manifest(),
            "index.html": html("x"),
            "big.bin": os.urandom(UPLOAD_LIMIT + excess),
        }
    )
    course_id = unique_id("too-big")
    exc = expect_api_error(413, lambda: start_upload(api, tmp_path, course_id, big))
    assert str(UPLOAD_LIMIT) in error_message(exc)
    expect_api_error(404, lambda: api.get_course(course_id))

    job = wait_for_job(
        api,
        api.create_fetch_and_import_course_job(
            course_id, sc.ImportFetchRequestSchema(url=local_http.add_file(big))
        ).result,
    )
    assert job.status == "ERROR"
    assert str(UPLOAD_LIMIT) in job.message, job.message
    expect_api_error(404, lambda: api.get_course(course_id))
    assert import_course(api, tmp_path, course_id).import_result.course.version == 0


def test_failed_fetch_ends_in_error(api: sc.CourseApi, local_http: LocalHttp) -> None:
    course_id = unique_id("fetch-404")
    missing = sc.ImportFetchRequestSchema(url=f"{local_http.base_url}/files/not-there.zip")
    job = wait_for_job(api, api.create_fetch_and_import_course_job(course_id, missing).result)
    assert job.status == "ERROR"
    assert "404" in job.message, job.message
    expect_api_error(404, lambda: api.get_course(course_id))


def test_an_unreachable_postback_does_not_change_the_result(api: sc.CourseApi, server: Server, tmp_path: Path) -> None:
    course_id = unique_id("postback-down")
    dead = f"http://127.0.0.1:{free_port()}/nobody-listens"
    job = import_course(api, tmp_path, course_id, postback_url=dead)
    assert job.import_result.course.id == course_id
    assert api.get_import_job_status(job.job_id).status == "COMPLETE"


def test_upload_without_a_file_is_400_and_reserves_nothing(api: sc.CourseApi, tmp_path: Path) -> None:
    course_id = unique_id("nofile")
    exc = expect_api_error(400, lambda: api.create_upload_and_import_course_job(course_id))
    assert "file" in error_message(exc)
    expect_api_error(404, lambda: api.get_course(course_id))
    assert import_course(api, tmp_path, course_id).import_result.course.version == 0


def test_unknown_import_job_is_404(api: sc.CourseApi) -> None:
    job_id = "00000000-0000-4000-8000-000000000000"
    exc = expect_api_error(404, lambda: api.get_import_job_status(job_id))
    assert job_id in error_message(exc)
    expect_api_error(404, lambda: api.get_import_job_status("not-a-job"))


def test_parser_warnings_are_listed(api: sc.CourseApi, tmp_path: Path) -> None:
    # The manifest sits in a folder instead of at the root: imported from that folder, with a warning saying so.
    package = ScormPackage(title="Nested", scos=[Sco("item_1", "Lesson", "index.html", body=html("nested"))])
    nested = zip_bytes({"course_root/imsmanifest.xml": package.manifest(), "course_root/index.html": html("nested")})
    course_id = unique_id("warn")
    job = import_course(api, tmp_path, course_id, nested)
    warnings = job.import_result.parser_warnings
    assert isinstance(warnings, list)
    assert any("course_root/" in w for w in warnings), warnings
    assert fetch_content(job.import_result.web_path_to_course.rstrip("/") + "/index.html").content == html("nested")


BROKEN_PACKAGES = {
    "not-a-zip": (b"this is plain text, not a zip archive", "zip"),
    "missing-resource": (
        zip_bytes(
            {
                "imsmanifest.xml": manifest_12(
                    '<item identifier="i1" identifierref="res_missing"><title>One</title></item>', SCO_RESOURCE
                ),
                "index.html": html("x"),
            }
        ),
        "res_missing",
    ),
    "missing-launch-file": (
        zip_bytes(
            {
                "imsmanifest.xml": manifest_12(
                    '<item identifier="i1" identifierref="r1"><title>One</title></item>',
                    SCO_RESOURCE.replace("index.html", "launch/missing.html"),
                ),
                "index.html": html("x"),
            }
        ),
        "launch/missing.html",
    ),
    "no-manifest": (zip_bytes({"index.html": html("x")}), "imsmanifest.xml"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_PACKAGES))
def test_broken_package_ends_in_error_naming_the_problem(api: sc.CourseApi, tmp_path: Path, case: str) -> None:
    data, named = BROKEN_PACKAGES[case]
    course_id = unique_id(case)
    job = wait_for_job(api, start_upload(api, tmp_path, course_id, data))
    assert job.status == "ERROR"
    assert job.message
    assert named in job.message, job.message
    assert job.import_result is None or job.import_result.course is None
    # A failed first import leaves nothing behind: no course, and the id is free again.
    expect_api_error(404, lambda: api.get_course(course_id))
    assert import_course(api, tmp_path, course_id).import_result.course.version == 0


def test_postback_receives_the_job_result(api: sc.CourseApi, local_http: LocalHttp, tmp_path: Path) -> None:
    course_id = unique_id("postback")
    url = local_http.postback_url()
    job = import_course(api, tmp_path, course_id, ScormPackage(title="Posted"), postback_url=url)
    post = local_http.wait_for_post(url)
    assert post.headers["content-type"].startswith("application/json")
    body = post.json()
    assert body["jobId"] == job.job_id
    assert body["status"] == "COMPLETE"
    assert body["importResult"]["course"]["id"] == course_id
    assert body["importResult"]["course"]["title"] == "Posted"

    failed_url = local_http.postback_url()
    failed_id = wait_for_job(
        api, start_upload(api, tmp_path, unique_id("postback-bad"), b"not a zip", postback_url=failed_url)
    ).job_id
    failed = local_http.wait_for_post(failed_url).json()
    assert (failed["jobId"], failed["status"]) == (failed_id, "ERROR")
    assert failed["message"]


# --------------------------------------------------------------------------------------- service surface and CLI


def test_openapi_lists_the_course_operations(server: Server) -> None:
    response = httpx.get(f"{server.base_url}/api/v2/openapi.json", timeout=10.0)
    assert response.status_code == 200
    operation_ids = {op.get("operationId") for ops in response.json()["paths"].values() for op in ops.values()}
    assert operation_ids >= OPERATION_IDS, OPERATION_IDS - operation_ids


def test_cli_import_is_visible_through_the_client(
    store: Store, server: Server, creds: Credentials, api: sc.CourseApi, tmp_path: Path
) -> None:
    course_id = unique_id("cli")
    path = write_package(tmp_path, ScormPackage(title="From the CLI"), "cli course.zip")
    # The server below runs embedded import workers on the same database, as a real deployment does; the CLI
    # must report its own import's outcome even when one of those workers happens to run the job.
    result = run_cli(store, "import", course_id, str(path), "--app", creds.app_id, env=server.env)
    assert result.returncode == 0, f"coursehost import exited {result.returncode}: {result.stdout}{result.stderr}"
    assert "Imported" in result.stdout
    course = api.get_course(course_id)
    assert (course.id, course.title, course.version, course.course_learning_standard) == (
        course_id,
        "From the CLI",
        0,
        "SCORM12",
    )

    again = run_cli(store, "import", course_id, str(path), "--app", creds.app_id, env=server.env)
    assert again.returncode != 0
    assert "already exists" in again.stdout + again.stderr
    newer = write_package(tmp_path, ScormPackage(title="CLI v1"), "v1.zip")
    result = run_cli(store, "import", course_id, str(newer), "--app", creds.app_id, "--new-version", env=server.env)
    assert result.returncode == 0, f"coursehost import exited {result.returncode}: {result.stdout}{result.stderr}"
    assert (api.get_course(course_id).version, api.get_course(course_id).title) == (1, "CLI v1")
