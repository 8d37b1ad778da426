"""Every course version carries an xapiActivityId: the package's own IRI (cmi5, xAPI) or one derived from the
application, the course id and the package identifier (SCORM, AICC, media)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from alembic import command
from sqlalchemy import create_engine, insert, select

from coursehost.kit.migrate import alembic_config
from coursehost.models import Application, Course, CourseVersion, utcnow
from tests.integration.conftest import Api
from tests.support.formats import COURSE_IRI, aicc_files, cmi5_xml, tincan_xml
from tests.support.packages import ScormPackage, zip_bytes

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def derived(api: Api, course_id: str, identifier: str | None = None) -> str:
    parts = [api.app_id, course_id] + ([identifier] if identifier else [])
    return "urn:coursehost:course:" + ":".join(quote(p, safe="") for p in parts)


def every_read(api: Api, course_id: str) -> list[str]:
    """xapiActivityId of the latest version as each read operation reports it."""
    path = f"/courses/{quote(course_id, safe='')}"
    latest = api.request("GET", path).json()
    listed = api.request("GET", "/courses", params={"filter": course_id}).json()["courses"]
    versions = api.request("GET", f"{path}/versions").json()["courses"]
    info = api.request("GET", f"{path}/versions/{latest['version']}").json()
    return [
        latest["xapiActivityId"],
        listed[0]["xapiActivityId"],
        versions[-1]["xapiActivityId"],
        info["xapiActivityId"],
    ]


@pytest.mark.parametrize(
    ("package", "identifier"),
    [
        (ScormPackage(identifier="com.example.golf").to_bytes(), "com.example.golf"),
        (ScormPackage(version="2004 4th Edition", identifier="g 2004/1").to_bytes(), "g 2004/1"),
        (zip_bytes(aicc_files()), "C-1"),
    ],
    ids=["scorm12", "scorm2004", "aicc"],
)
def test_derived_from_app_course_and_package_identifier(api: Api, package: bytes, identifier: str) -> None:
    job = api.import_course("golf/1 é", package)
    expected = derived(api, "golf/1 é", identifier)
    assert job["importResult"]["course"]["xapiActivityId"] == expected
    assert every_read(api, "golf/1 é") == [expected] * 4


def test_media_courses_have_no_identifier_part(api: Api) -> None:
    response = api.request(
        "POST",
        "/courses/importJobs/upload",
        params={"courseId": "pdf"},
        headers={"uploadedContentType": "application/pdf"},
        files={"file": ("guide.pdf", PDF, "application/pdf")},
    )
    assert api.wait(response.json()["result"])["status"] == "COMPLETE"
    assert every_read(api, "pdf") == [derived(api, "pdf")] * 4


@pytest.mark.parametrize(
    ("files", "iri"),
    [
        ({"cmi5.xml": cmi5_xml(), "index.html": "x"}, COURSE_IRI),
        ({"tincan.xml": tincan_xml(), "index.html": "x"}, "http://example.com/course"),
    ],
    ids=["cmi5", "xapi"],
)
def test_cmi5_and_xapi_packages_keep_their_own_iri(api: Api, files: dict[str, Any], iri: str) -> None:
    api.import_course("own", zip_bytes(files))
    assert every_read(api, "own") == [iri] * 4


def test_versions_share_the_iri_while_the_package_identifier_does(api: Api) -> None:
    api.import_course("v", ScormPackage(title="v0", identifier="pkg").to_bytes())
    api.import_course("v", ScormPackage(title="v1", identifier="pkg").to_bytes(), mayCreateNewVersion="true")
    api.import_course("v", ScormPackage(title="v2", identifier="other").to_bytes(), mayCreateNewVersion="true")
    versions = api.request("GET", "/courses/v/versions").json()["courses"]
    assert [c["xapiActivityId"] for c in versions] == [derived(api, "v", "pkg")] * 2 + [derived(api, "v", "other")]


def test_the_same_package_in_two_applications_or_courses_gets_distinct_iris(api: Api, make_app: Any) -> None:
    other = Api(api.client, make_app("other"))
    package = ScormPackage(identifier="shared").to_bytes()
    for client, course_id in ((api, "a"), (api, "b"), (other, "a")):
        client.import_course(course_id, package)
    iris = {every_read(api, "a")[0], every_read(api, "b")[0], every_read(other, "a")[0]}
    assert iris == {derived(api, "a", "shared"), derived(api, "b", "shared"), derived(other, "a", "shared")}
    assert len(iris) == 3


def test_a_changed_manifest_identifier_changes_the_versions_iri(api: Api) -> None:
    api.import_course("edit", ScormPackage(identifier="before").to_bytes())
    manifest = ScormPackage(identifier="after").manifest().encode()
    response = api.request(
        "POST",
        "/courses/edit/asset/upload",
        files={"file": ("imsmanifest.xml", manifest, "text/xml")},
        data={"destination": "imsmanifest.xml"},
    )
    assert response.status_code == 200, response.text
    assert every_read(api, "edit") == [derived(api, "edit", "after")] * 4


def test_migration_gives_earlier_versions_an_iri(database_url: str, api: Api) -> None:
    config = alembic_config(database_url)
    engine = create_engine(database_url)
    try:
        command.downgrade(config, "0006")
        now = utcnow()
        with engine.begin() as conn:
            app_pk = conn.execute(select(Application.pk).where(Application.app_id == api.app_id)).scalar_one()
            for course_id, iri in (("old:1", None), ("old-cmi5", COURSE_IRI)):
                course_pk = conn.execute(
                    insert(Course).values(app_pk=app_pk, course_id=course_id, title="t", latest_version=0,
                                          created=now, updated=now).returning(Course.pk)
                ).scalar_one()  # fmt: skip
                conn.execute(
                    insert(CourseVersion).values(course_pk=course_pk, number=0, title="t", learning_standard="SCORM12",
                                                 package_kind="scorm", xapi_activity_id=iri, root_activity={},
                                                 languages=[], parser_warnings=[], size_bytes=0, created=now,
                                                 updated=now)
                )  # fmt: skip
    finally:
        command.upgrade(config, "head")
        engine.dispose()
    assert api.request("GET", "/courses/old:1").json()["xapiActivityId"] == derived(api, "old:1")
    assert api.request("GET", "/courses/old-cmi5").json()["xapiActivityId"] == COURSE_IRI
