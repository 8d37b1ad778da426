"""Wire details through the official client: awkward course ids, booleans and datetimes as the Python client
sends them, application isolation and authentication."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import rustici_software_cloud_v2 as sc

from tests.e2e.conftest import (
    Credentials,
    LocalHttp,
    Server,
    close_api,
    error_message,
    expect_api_error,
    import_course,
    make_api,
    start_upload,
    unique_id,
    wait_for_job,
)
from tests.support.packages import Sco, ScormPackage

LOM = (
    '<lom xmlns="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"><general>'
    "<title><langstring>T</langstring></title></general></lom>"
)


def package(title: str, body: str) -> ScormPackage:
    return ScormPackage(title=title, scos=[Sco("item_1", "Lesson", "index.html", body=body.encode())])


def launch_page(web_path: str) -> httpx.Response:
    return httpx.get(web_path.rstrip("/") + "/index.html", timeout=10.0)


def test_course_ids_with_reserved_characters_round_trip(
    api: sc.CourseApi, local_http: LocalHttp, tmp_path: Path
) -> None:
    base = unique_id("odd")
    # Python's client percent-encodes path parameters with no safe characters; the two ids differ only in
    # whether the slash is literal or already written as %2F, and must stay two courses.
    slash, encoded = f"{base}/dir name/100% é中文+x", f"{base}%2Fdir name%2F100%25 é中文+x"
    course_ids = [slash, encoded]
    for n, course_id in enumerate(course_ids):
        job = import_course(api, tmp_path, course_id, package(f"Odd {n}", f"odd course {n}"), tags=[f"t{n}"])
        assert job.import_result.course.id == course_id
        assert launch_page(job.import_result.web_path_to_course).text == f"odd course {n}"

    for n, course_id in enumerate(course_ids):
        course = api.get_course(course_id)
        assert (course.id, course.title, course.version, course.tags) == (course_id, f"Odd {n}", 0, [f"t{n}"])
        assert [c.id for c in api.get_courses(filter=course_id).courses] == [course_id]

        url = local_http.add_file(package(f"Odd {n} v1", f"odd course {n} v1").to_bytes())
        job_id = api.create_fetch_and_import_course_job(
            course_id, sc.ImportFetchRequestSchema(url=url), may_create_new_version=True
        ).result
        job = wait_for_job(api, job_id)
        assert job.status == "COMPLETE", job.message
        assert (job.import_result.course.id, job.import_result.course.version) == (course_id, 1)
        assert launch_page(job.import_result.web_path_to_course).text == f"odd course {n} v1"
        url = local_http.add_file(package(f"Odd {n} v2", f"odd course {n} v2").to_bytes())
        no_upload = sc.ImportRequestSchema(fetch_request=sc.ImportFetchRequestSchema(url=url))
        job_id = api.create_no_upload_and_import_course_job(course_id, no_upload, may_create_new_version=True).result
        assert wait_for_job(api, job_id).import_result.course.id == course_id
        assert [(c.id, c.version) for c in api.get_course_versions(course_id).courses] == [
            (course_id, 0),
            (course_id, 1),
            (course_id, 2),
        ]
        assert api.get_course_version_info(course_id, 0).title == f"Odd {n}"
        assert api.get_course_version_info(course_id, 2).title == f"Odd {n} v2"

        api.put_course_tags(course_id, sc.TagListSchema(tags=["x/y", "50%"]))
        assert sorted(api.get_course_tags(course_id).tags) == sorted([f"t{n}", "x/y", "50%"])
        api.delete_course_tags(course_id, sc.TagListSchema(tags=["x/y"]))
        assert sorted(api.get_course_tags(course_id).tags) == sorted([f"t{n}", "50%"])
        api.set_course_title(course_id, sc.TitleSchema(title=f"Renamed {n}"))
        assert api.get_course(course_id).title == f"Renamed {n}"

    api.put_course_tags_batch(sc.BatchTagsSchema(ids=course_ids, tags=["both"]))
    assert all("both" in api.get_course_tags(cid).tags for cid in course_ids)
    api.delete_course_version(slash, 2)
    assert api.get_course(slash).version == 1
    assert api.get_course(encoded).version == 2
    api.delete_course(slash)
    expect_api_error(404, lambda: api.get_course(slash))
    assert api.get_course(encoded).title == "Renamed 1"
    api.delete_course(encoded)
    expect_api_error(404, lambda: api.get_course(encoded))


def test_course_ids_are_case_sensitive(api: sc.CourseApi, tmp_path: Path) -> None:
    base = unique_id("case")
    upper, lower = f"{base}-ABC", f"{base}-abc"
    import_course(api, tmp_path, upper, package("Upper", "upper"))
    expect_api_error(404, lambda: api.get_course(lower))
    import_course(api, tmp_path, lower, package("Lower", "lower"))  # no 409: a different id
    assert (api.get_course(upper).title, api.get_course(lower).title) == ("Upper", "Lower")
    api.delete_course(lower)
    assert api.get_course(upper).title == "Upper"


@pytest.mark.parametrize("special", ["?", "#", ";"])
def test_web_path_to_course_is_a_usable_url_for_any_course_id(api: sc.CourseApi, tmp_path: Path, special: str) -> None:
    course_id = f"{unique_id('url')} a{special}b"
    job = import_course(api, tmp_path, course_id, package("Url", "url course"))
    assert api.get_course(course_id).id == course_id
    web_path = job.import_result.web_path_to_course
    response = launch_page(web_path)
    assert response.status_code == 200, f"webPathToCourse {web_path!r} + 'index.html' answered {response.status_code}"
    assert response.text == "url course"


def test_bool_query_params_as_the_python_client_sends_them(api: sc.CourseApi, tmp_path: Path) -> None:
    # The Python client writes booleans as True/False in query strings.
    course_id = unique_id("bools")
    import_course(api, tmp_path, course_id, ScormPackage(metadata=LOM))
    assert api.get_course(course_id, include_registration_count=True).registration_count == 0
    assert api.get_course(course_id, include_registration_count=False).registration_count is None
    assert api.get_course(course_id, include_course_metadata=True).metadata is not None
    assert api.get_course(course_id, include_course_metadata=False).metadata is None
    versions = api.get_course_versions(course_id, include_registration_count=True)
    assert [c.registration_count for c in versions.courses] == [0]
    listed = api.get_courses(filter=course_id, include_registration_count=True, include_course_metadata=False)
    assert [(c.registration_count, c.metadata) for c in listed.courses] == [(0, None)]
    _, _, headers = api.get_courses_with_http_info(filter=course_id, include_total_count=True)
    assert headers["X-Total-Count"] == "1"
    _, _, headers = api.get_courses_with_http_info(filter=course_id, include_total_count=False)
    assert "X-Total-Count" not in headers
    expect_api_error(409, lambda: start_upload(api, tmp_path, course_id, ScormPackage(), may_create_new_version=False))
    job = import_course(api, tmp_path, course_id, may_create_new_version=True)
    assert job.import_result.course.version == 1


def test_metadata_flag_on_a_course_without_metadata(api: sc.CourseApi, tmp_path: Path) -> None:
    # The client docs say includeCourseMetadata has "no effect" then: the key is absent and the client reads None.
    course_id = unique_id("nometa")
    job = import_course(api, tmp_path, course_id)
    assert job.import_result.course.metadata is None
    assert api.get_course(course_id, include_course_metadata=True).metadata is None
    assert api.get_course_version_info(course_id, 0, include_course_metadata=True).metadata is None
    listed = api.get_courses(filter=course_id, include_course_metadata=True).courses
    versions = api.get_course_versions(course_id, include_course_metadata=True).courses
    assert [c.metadata for c in listed + versions] == [None, None]


def test_bad_datetimes_are_400(api: sc.CourseApi, tmp_path: Path) -> None:
    course_id = unique_id("dates")
    import_course(api, tmp_path, course_id)
    for bad in ("yesterday", "2024-13-01T00:00:00", "2024-01-01T25:00:00Z"):
        exc = expect_api_error(400, lambda bad=bad: api.get_courses(since=bad))
        assert "since" in error_message(exc)
        expect_api_error(400, lambda bad=bad: api.get_courses(until=bad))
        expect_api_error(400, lambda bad=bad: api.get_course_versions(course_id, since=bad))
    expect_api_error(400, lambda: api.get_courses(datetime_filter="deleted"))


def test_a_second_application_sees_and_changes_nothing_of_the_first(
    api: sc.CourseApi, other_api: sc.CourseApi, local_http: LocalHttp, tmp_path: Path
) -> None:
    course_id = unique_id("mine")
    job = import_course(api, tmp_path, course_id, package("Mine", "first app"), tags=["private"])
    web_path = job.import_result.web_path_to_course
    tags, title = sc.TagListSchema(tags=["theirs"]), sc.TitleSchema(title="Taken over")

    expect_api_error(404, lambda: other_api.get_import_job_status(job.job_id))
    expect_api_error(404, lambda: other_api.get_course(course_id))
    assert course_id not in [c.id for c in other_api.get_courses().courses]
    assert other_api.get_courses(filter=course_id).courses == []
    assert other_api.get_courses(tags=["private"]).courses == []
    expect_api_error(404, lambda: other_api.get_course_versions(course_id))
    expect_api_error(404, lambda: other_api.get_course_version_info(course_id, 0))
    expect_api_error(404, lambda: other_api.get_course_tags(course_id))
    expect_api_error(404, lambda: other_api.put_course_tags(course_id, tags))
    expect_api_error(404, lambda: other_api.delete_course_tags(course_id, sc.TagListSchema(tags=["private"])))
    expect_api_error(404, lambda: other_api.put_course_tags_batch(sc.BatchTagsSchema(ids=[course_id], tags=["x"])))
    expect_api_error(404, lambda: other_api.set_course_title(course_id, title))
    expect_api_error(404, lambda: other_api.delete_course_version(course_id, 0))
    expect_api_error(404, lambda: other_api.delete_course(course_id))

    # Ids are per application: the second one imports the same id as its own course, through all three imports.
    theirs = import_course(other_api, tmp_path, course_id, package("Theirs", "second app"))
    assert theirs.import_result.course.version == 0
    assert launch_page(theirs.import_result.web_path_to_course).text == "second app"
    fetch = sc.ImportFetchRequestSchema(url=local_http.add_file(package("Theirs v1", "second app v1").to_bytes()))
    job_id = other_api.create_fetch_and_import_course_job(course_id, fetch, may_create_new_version=True).result
    assert wait_for_job(other_api, job_id).status == "COMPLETE"
    expect_api_error(404, lambda: api.get_import_job_status(job_id))
    no_upload = sc.ImportRequestSchema(fetch_request=fetch)
    job_id = other_api.create_no_upload_and_import_course_job(course_id, no_upload, may_create_new_version=True).result
    assert wait_for_job(other_api, job_id).status == "COMPLETE"
    assert [c.version for c in other_api.get_course_versions(course_id).courses] == [0, 1, 2]
    other_api.set_course_title(course_id, sc.TitleSchema(title="Theirs renamed"))
    other_api.put_course_tags(course_id, sc.TagListSchema(tags=["theirs"]))
    other_api.delete_course_version(course_id, 0)
    other_api.delete_course(course_id)

    mine = api.get_course(course_id)
    assert (mine.title, mine.version, mine.tags) == ("Mine", 0, ["private"])
    assert [c.version for c in api.get_course_versions(course_id).courses] == [0]
    assert launch_page(web_path).text == "first app"
    assert api.get_import_job_status(job.job_id).status == "COMPLETE"


def test_wrong_credentials_are_401(server: Server, creds: Credentials, tmp_path: Path) -> None:
    course_id = unique_id("auth")
    for app_id, secret in ((creds.app_id, "wrong-secret"), ("NO-SUCH-APP", creds.secret_key), ("", "")):
        intruder = make_api(server, app_id, secret)
        try:
            exc = expect_api_error(401, intruder.get_courses)
            assert json.loads(exc.body)["error"] == "Authorization Required."
            expect_api_error(401, lambda intruder=intruder: intruder.get_course(course_id))
            expect_api_error(401, lambda intruder=intruder: intruder.get_import_job_status("any"))
            expect_api_error(401, lambda intruder=intruder: start_upload(intruder, tmp_path, course_id, ScormPackage()))
        finally:
            close_api(intruder)


def test_scorm_courses_carry_a_derived_xapi_activity_id(api: sc.CourseApi, tmp_path: Path) -> None:
    course_id = unique_id("iri")
    job = import_course(api, tmp_path, course_id, ScormPackage(identifier="com.example.iri"))
    iri = job.import_result.course.xapi_activity_id
    assert iri.startswith("urn:coursehost:course:")
    assert iri.endswith(f":{course_id}:com.example.iri")
    assert api.get_course(course_id).xapi_activity_id == iri
    assert [c.xapi_activity_id for c in api.get_course_versions(course_id).courses] == [iri]
