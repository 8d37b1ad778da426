"""Reading and changing courses through the official client: GetCourse, versions, deletion, tags, titles, and
GetCourses with its filters, ordering, time windows, total count and pagination."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import rustici_software_cloud_v2 as sc

from tests.e2e.conftest import (
    LOM,
    SCO_RESOURCE,
    Credentials,
    Server,
    Store,
    close_api,
    create_app_in_process,
    error_message,
    expect_api_error,
    fetch_content,
    html,
    import_course,
    make_api,
    manifest_12,
    start_upload,
    unique_id,
    version_numbers,
    wait_for_job,
)
from tests.support.packages import Sco, ScormPackage, zip_bytes

ORDERS = ["created_asc", "created_desc", "updated_asc", "updated_desc", "title_asc", "title_desc"]


def ids(courses: list[sc.CourseSchema]) -> list[str]:
    return [c.id for c in courses]


def listed(api: sc.CourseApi, prefix: str, **kwargs: Any) -> list[str]:
    """Ids of the courses whose id contains ``prefix`` (one page is enough: the main server's page size is 100)."""
    page = api.get_courses(filter=prefix, **kwargs)
    assert page.more is None
    return ids(page.courses)


def import_all(api: sc.CourseApi, directory: Path, titles: dict[str, str], **kwargs: Any) -> None:
    """Import several courses at once (all uploads first, then wait), so they cost about one import."""
    jobs = [start_upload(api, directory, cid, ScormPackage(title=title), **kwargs) for cid, title in titles.items()]
    for job_id in jobs:
        job = wait_for_job(api, job_id)
        assert job.status == "COMPLETE", job.message


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def midpoint(a: datetime, b: datetime) -> datetime:
    middle = utc(a) + (utc(b) - utc(a)) / 2
    return middle.replace(microsecond=middle.microsecond | 1)  # always send sub-millisecond digits


# ---------------------------------------------------------------------------------------------------- getCourses


@pytest.fixture(scope="module")
def paging_api(paging_server: Server, creds: Credentials) -> Iterator[sc.CourseApi]:
    client = make_api(paging_server, creds.app_id, creds.secret_key)
    yield client
    close_api(client)


def test_filter_by_course_id_and_title_is_a_case_insensitive_substring(api: sc.CourseApi, tmp_path: Path) -> None:
    prefix, tok = unique_id("flt"), uuid.uuid4().hex[:10]
    one, two, three = f"{prefix}-one", f"{prefix}-two", f"{prefix}-three"
    import_all(api, tmp_path, {one: f"{tok} Alpha", two: f"{tok} Beta", three: f"{tok} alphabet soup"})

    assert sorted(listed(api, prefix.upper())) == sorted([one, two, three])
    assert sorted(listed(api, f"{prefix}-T".upper(), filter_by="course_id")) == sorted([two, three])
    assert sorted(listed(api, f"{tok} ALPHA".upper(), filter_by="title")) == sorted([one, three])
    assert listed(api, f"{tok} beta", filter_by="title") == [two]
    assert listed(api, prefix, filter_by="title") == []  # titles do not contain the id prefix
    # LIKE wildcards in the filter are plain characters.
    assert listed(api, f"{prefix}-%") == []
    assert listed(api, f"{prefix}_") == []
    assert listed(api, f"{tok}%", filter_by="title") == []


def test_filter_by_title_is_case_insensitive_beyond_ascii(api: sc.CourseApi, tmp_path: Path) -> None:
    tok = uuid.uuid4().hex[:10]
    course_id = unique_id("flt-intl")
    import_all(api, tmp_path, {course_id: f"{tok} ÉCOLE Über Straße"})
    assert listed(api, f"{tok} ÉCOLE", filter_by="title") == [course_id]
    assert listed(api, f"{tok} école über", filter_by="title") == [course_id], (
        "filter on title must be case-insensitive for non-ASCII letters too ('école über' vs 'ÉCOLE Über')"
    )


def test_tags_filter_matches_any_given_tag(api: sc.CourseApi, tmp_path: Path) -> None:
    prefix, tok = unique_id("tagged"), uuid.uuid4().hex[:8]
    red, blue, green = f"red-{tok}", f"blue-{tok}", f"green-{tok}"
    c0, c1, c2 = f"{prefix}-0", f"{prefix}-1", f"{prefix}-2"
    for course_id, tags in ((c0, [red]), (c1, [blue]), (c2, [green, red])):
        import_course(api, tmp_path, course_id, tags=tags)

    assert sorted(ids(api.get_courses(tags=[red]).courses)) == sorted([c0, c2])
    assert sorted(ids(api.get_courses(tags=[red, blue]).courses)) == sorted([c0, c1, c2])
    assert ids(api.get_courses(tags=[blue, f"none-{tok}"]).courses) == [c1]
    assert api.get_courses(tags=[f"none-{tok}"]).courses == []
    assert listed(api, f"{prefix}-2", tags=[red, blue]) == [c2]
    api.put_course_tags(c1, sc.TagListSchema(tags=[green]))
    assert sorted(ids(api.get_courses(tags=[green]).courses)) == sorted([c1, c2])


def test_order_by_every_value(api: sc.CourseApi, tmp_path: Path) -> None:
    prefix, tok = unique_id("order"), uuid.uuid4().hex[:8]
    c0, c1, c2 = f"{prefix}-0", f"{prefix}-1", f"{prefix}-2"
    for course_id, title in ((c0, f"{tok} b"), (c1, f"{tok} c"), (c2, f"{tok} a")):
        import_course(api, tmp_path, course_id, ScormPackage(title=title))
    # Touch c1 then c0, so "updated" runs c2 < c1 < c0 while "created" runs c0 < c1 < c2.
    for course_id in (c1, c0):
        time.sleep(0.01)
        api.put_course_tags(course_id, sc.TagListSchema(tags=["touched"]))

    expected = {
        "created_asc": [c0, c1, c2],
        "created_desc": [c2, c1, c0],
        "updated_asc": [c2, c1, c0],
        "updated_desc": [c0, c1, c2],
        "title_asc": [c2, c0, c1],
        "title_desc": [c1, c0, c2],
    }
    assert sorted(expected) == sorted(ORDERS)
    for order_by, wanted in expected.items():
        assert listed(api, prefix, order_by=order_by) == wanted, order_by
    assert listed(api, prefix) == expected["created_desc"]  # the default
    expect_api_error(400, lambda: api.get_courses(order_by="sideways"))


def test_since_and_until_select_by_created_or_updated(api: sc.CourseApi, tmp_path: Path) -> None:
    prefix = unique_id("window")
    c0, c1, c2 = f"{prefix}-0", f"{prefix}-1", f"{prefix}-2"
    for course_id in (c0, c1, c2):
        import_course(api, tmp_path, course_id)
    created = {cid: api.get_course(cid).created for cid in (c0, c1, c2)}
    mid01, mid12 = midpoint(created[c0], created[c1]), midpoint(created[c1], created[c2])
    order = {"order_by": "created_asc", "datetime_filter": "created"}

    assert listed(api, prefix, since=mid01, **order) == [c1, c2]  # aware, UTC
    assert listed(api, prefix, until=mid01.replace(tzinfo=None), **order) == [c0]  # naive means UTC
    india = timezone(timedelta(hours=5, minutes=30))
    window = {"since": mid01.astimezone(india), "until": mid12.replace(tzinfo=None)}
    assert window["until"].microsecond % 1000 != 0
    assert listed(api, prefix, **window, **order) == [c1]  # another offset, and microseconds
    assert listed(api, prefix, since=created[c1], **order) == [c1, c2]  # since is inclusive

    time.sleep(0.02)
    api.set_course_title(c0, sc.TitleSchema(title="Touched later"))
    touched = api.get_course(c0).updated
    assert utc(touched) > utc(api.get_course(c2).updated)
    cut = midpoint(api.get_course(c2).updated, touched)
    assert listed(api, prefix, since=cut, datetime_filter="updated") == [c0]
    assert listed(api, prefix, since=cut) == [c0]  # datetimeFilter defaults to updated
    assert listed(api, prefix, since=cut, datetime_filter="created") == []
    assert sorted(listed(api, prefix, until=cut, datetime_filter="updated")) == sorted([c1, c2])


def test_until_includes_a_course_stamped_exactly_then(api: sc.CourseApi, tmp_path: Path) -> None:
    # Bounds are inclusive, so asking for until=<the 'updated' the API reported> must return that course.
    course_id = unique_id("inclusive")
    import_course(api, tmp_path, course_id)
    course = api.get_course(course_id)
    assert listed(api, course_id, since=course.updated) == [course_id]
    assert listed(api, course_id, until=course.updated) == [course_id], (
        f"until={course.updated.isoformat()} (the course's own reported 'updated') excluded the course"
    )
    assert listed(api, course_id, since=course.created, until=course.created, datetime_filter="created") == [course_id]


def test_total_count_and_pagination_with_more(
    api: sc.CourseApi, paging_api: sc.CourseApi, paging_server: Server, store: Store, tmp_path: Path
) -> None:
    prefix, tok = unique_id("pages"), uuid.uuid4().hex[:8]
    course_ids = [f"{prefix}-{n}" for n in range(7)]
    import_all(api, tmp_path, dict.fromkeys(course_ids, f"Same {tok}"))
    api.put_course_tags_batch(sc.BatchTagsSchema(ids=course_ids[:6], tags=[f"six-{tok}"]))

    data, status, headers = paging_api.get_courses_with_http_info(filter=prefix, include_total_count=True)
    assert status == 200
    assert headers["X-Total-Count"] == "7"
    pages = [ids(data.courses)]
    while data.more is not None:
        assert data.more != ""
        data, status, headers = paging_api.get_courses_with_http_info(more=data.more)
        assert status == 200
        assert "X-Total-Count" not in headers  # only ever on the first page
        pages.append(ids(data.courses))
    assert [len(p) for p in pages] == [3, 3, 1]
    seen = [cid for page in pages for cid in page]
    assert seen == listed(api, prefix)  # created_desc, the same order as one big page
    assert sorted(seen) == sorted(course_ids)

    # Every title is equal: the keyset must still walk all rows exactly once.
    by_title = paging_api.get_courses(filter=prefix, order_by="title_asc")
    walked = ids(by_title.courses)
    while by_title.more is not None:
        by_title = paging_api.get_courses(more=by_title.more)
        walked += ids(by_title.courses)
    assert walked == listed(api, prefix, order_by="title_asc")
    assert sorted(walked) == sorted(course_ids)

    # A result that fills its last page exactly ends with more absent, not with an empty extra page.
    first = paging_api.get_courses(tags=[f"six-{tok}"])
    assert len(first.courses) == 3
    assert first.more is not None
    second = paging_api.get_courses(more=first.more)
    assert len(second.courses) == 3
    assert second.more is None
    assert sorted(ids(first.courses) + ids(second.courses)) == sorted(course_ids[:6])

    for extra in ({}, {"include_total_count": False}):
        _, _, plain_headers = paging_api.get_courses_with_http_info(filter=prefix, **extra)
        assert "X-Total-Count" not in plain_headers

    token = paging_api.get_courses(filter=prefix).more
    assert token
    tampered = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
    exc = expect_api_error(400, lambda: paging_api.get_courses(more=tampered))
    assert "more" in error_message(exc)
    expect_api_error(400, lambda: paging_api.get_courses(more="not-a-token"))
    stranger = create_app_in_process(store, "e2e-stranger")
    other = make_api(paging_server, stranger.app_id, stranger.secret_key)
    try:
        expect_api_error(400, lambda: other.get_courses(more=token))  # a token is bound to its application
    finally:
        close_api(other)


# ------------------------------------------------------------------------------------ one course and its versions


@pytest.mark.parametrize(
    ("declared", "standard"),
    [
        ("1.2", "SCORM12"),
        ("CAM 1.3", "SCORM20042NDEDITION"),
        ("2004 3rd Edition", "SCORM20043RDEDITION"),
        ("2004 4th Edition", "SCORM20044THEDITION"),
    ],
)
def test_course_learning_standard(api: sc.CourseApi, tmp_path: Path, declared: str, standard: str) -> None:
    course_id = unique_id("std")
    package = ScormPackage(
        title=f"Standard {declared}",
        version=declared,
        scos=[Sco("sco_a", "A", "a/index.html"), Sco("sco_b", "B", "b.html")],
    )
    import_course(api, tmp_path, course_id, package)
    course = api.get_course(course_id)
    assert course.course_learning_standard == standard
    assert [(c.item_identifier, c.resource_identifier, c.activity_type) for c in course.root_activity.children] == [
        ("sco_a", "res_sco_a", "SCO"),
        ("sco_b", "res_sco_b", "SCO"),
    ]


def test_get_course_metadata_and_registration_count(api: sc.CourseApi, tmp_path: Path) -> None:
    course_id = unique_id("meta")
    item = '<item identifier="i1" identifierref="r1"><title>Only lesson</title></item>'
    package = zip_bytes({"imsmanifest.xml": manifest_12(item, SCO_RESOURCE, LOM), "index.html": html("meta")})
    import_course(api, tmp_path, course_id, package)

    plain = api.get_course(course_id)
    assert plain.metadata is None
    assert plain.registration_count is None
    full = api.get_course(course_id, include_course_metadata=True, include_registration_count=True)
    assert full.registration_count == 0
    assert (full.metadata.title, full.metadata.title_language) == ("Metadata Title", "en-US")
    assert full.metadata.description == "What this course teaches"
    assert full.metadata.keywords == ["safety", "basics"]
    off = api.get_course(course_id, include_course_metadata=False, include_registration_count=False)
    assert (off.metadata, off.registration_count) == (None, None)

    info = api.get_course_version_info(course_id, 0, include_course_metadata=True, include_registration_count=True)
    assert (info.metadata.title, info.registration_count) == ("Metadata Title", 0)
    listed = api.get_course_versions(course_id, include_course_metadata=True, include_registration_count=True)
    assert [(c.metadata.title, c.registration_count) for c in listed.courses] == [("Metadata Title", 0)]


def test_versions_info_and_deleting_versions(api: sc.CourseApi, tmp_path: Path) -> None:
    course_id = unique_id("versions")
    web_paths = []
    for number in range(3):
        package = ScormPackage(title=f"V{number}", scos=[Sco("i", "L", "index.html", body=html(f"version {number}"))])
        job = import_course(api, tmp_path, course_id, package, may_create_new_version=number > 0)
        assert job.import_result.course.version == number
        web_paths.append(job.import_result.web_path_to_course.rstrip("/") + "/index.html")

    versions = api.get_course_versions(course_id)
    assert [(c.id, c.version, c.title) for c in versions.courses] == [
        (course_id, 0, "V0"),
        (course_id, 1, "V1"),
        (course_id, 2, "V2"),
    ]
    assert not hasattr(versions, "more")
    info = api.get_course_version_info(course_id, 1)
    assert (info.id, info.version, info.title, info.course_learning_standard) == (course_id, 1, "V1", "SCORM12")
    latest = api.get_course(course_id)
    assert (latest.version, latest.title) == (2, "V2")
    assert [fetch_content(url).content for url in web_paths] == [html(f"version {n}") for n in range(3)]

    v1_updated = versions.courses[1].updated
    assert version_numbers(api, course_id) == [0, 1, 2]
    assert [c.version for c in api.get_course_versions(course_id, since=v1_updated).courses] == [1, 2]
    assert [c.version for c in api.get_course_versions(course_id, until=v1_updated).courses] == [0, 1]
    expect_api_error(404, lambda: api.get_course_version_info(course_id, 7))
    expect_api_error(404, lambda: api.delete_course_version(course_id, 7))

    assert api.delete_course_version(course_id, 2) is None
    latest = api.get_course(course_id)
    assert (latest.version, latest.title) == (1, "V1")
    assert fetch_content(web_paths[2]).status_code == 404
    assert fetch_content(web_paths[1]).status_code == 200
    expect_api_error(404, lambda: api.get_course_version_info(course_id, 2))

    api.delete_course_version(course_id, 0)
    assert version_numbers(api, course_id) == [1]
    assert api.get_course(course_id).version == 1

    api.delete_course_version(course_id, 1)  # the last version: the course goes with it
    expect_api_error(404, lambda: api.get_course(course_id))
    expect_api_error(404, lambda: api.get_course_versions(course_id))
    expect_api_error(404, lambda: api.get_course_tags(course_id))
    assert fetch_content(web_paths[1]).status_code == 404
    assert import_course(api, tmp_path, course_id).import_result.course.version == 0


def test_delete_course(api: sc.CourseApi, tmp_path: Path) -> None:
    course_id = unique_id("delete")
    first = import_course(api, tmp_path, course_id, tags=["gone"])
    second = import_course(api, tmp_path, course_id, may_create_new_version=True)
    urls = [j.import_result.web_path_to_course.rstrip("/") + "/index.html" for j in (first, second)]
    assert [fetch_content(url).status_code for url in urls] == [200, 200]

    assert api.delete_course(course_id) is None
    exc = expect_api_error(404, lambda: api.get_course(course_id))
    assert course_id in error_message(exc)
    expect_api_error(404, lambda: api.get_course_versions(course_id))
    expect_api_error(404, lambda: api.get_course_version_info(course_id, 0))
    assert api.get_courses(filter=course_id).courses == []
    assert [fetch_content(url).status_code for url in urls] == [404, 404]
    expect_api_error(404, lambda: api.delete_course(course_id))
    expect_api_error(404, lambda: api.delete_course(unique_id("never-existed")))

    again = import_course(api, tmp_path, course_id).import_result.course
    assert (again.version, again.tags) == (0, [])


# ----------------------------------------------------------------------------------------------- tags and titles


def test_course_tags_add_and_remove(api: sc.CourseApi, tmp_path: Path) -> None:
    course_id = unique_id("tags")
    import_course(api, tmp_path, course_id, tags=["a"])
    assert api.get_course_tags(course_id).tags == ["a"]

    assert api.put_course_tags(course_id, sc.TagListSchema(tags=["c", "b", "a"])) is None
    assert sorted(api.get_course_tags(course_id).tags) == ["a", "b", "c"]
    api.put_course_tags(course_id, sc.TagListSchema(tags=["d"]))  # adds, never replaces
    assert sorted(api.get_course_tags(course_id).tags) == ["a", "b", "c", "d"]

    assert api.delete_course_tags(course_id, sc.TagListSchema(tags=["b", "not-there"])) is None
    assert sorted(api.get_course_tags(course_id).tags) == ["a", "c", "d"]
    assert sorted(api.get_course(course_id).tags) == ["a", "c", "d"]

    missing = unique_id("no-course")
    expect_api_error(404, lambda: api.get_course_tags(missing))
    expect_api_error(404, lambda: api.put_course_tags(missing, sc.TagListSchema(tags=["x"])))
    expect_api_error(404, lambda: api.delete_course_tags(missing, sc.TagListSchema(tags=["x"])))


def test_put_course_tags_batch(api: sc.CourseApi, tmp_path: Path) -> None:
    first, second = unique_id("batch1"), unique_id("batch2")
    import_course(api, tmp_path, first, tags=["own"])
    import_course(api, tmp_path, second)

    assert api.put_course_tags_batch(sc.BatchTagsSchema(ids=[first, second], tags=["t1", "t2"])) is None
    assert sorted(api.get_course_tags(first).tags) == ["own", "t1", "t2"]
    assert sorted(api.get_course_tags(second).tags) == ["t1", "t2"]

    unknown = unique_id("batch-unknown")
    exc = expect_api_error(
        404, lambda: api.put_course_tags_batch(sc.BatchTagsSchema(ids=[first, unknown], tags=["t3"]))
    )
    assert unknown in error_message(exc)
    assert sorted(api.get_course_tags(first).tags) == ["own", "t1", "t2"]  # nothing changed


def test_set_course_title(api: sc.CourseApi, tmp_path: Path) -> None:
    course_id = unique_id("title")
    import_course(api, tmp_path, course_id, ScormPackage(title="Before"))
    assert api.set_course_title(course_id, sc.TitleSchema(title="Après — renamed")) is None
    assert api.get_course(course_id).title == "Après — renamed"
    listed = api.get_courses(filter=course_id).courses
    assert [(c.id, c.title) for c in listed] == [(course_id, "Après — renamed")]
    expect_api_error(404, lambda: api.set_course_title(unique_id("no-course"), sc.TitleSchema(title="x")))
