"""Each course version's activity ids (xapi_version_activities), by which statements are linked to it: kept when an
import publishes the version and when an asset change re-describes it, gone with the version, and computed by
migration 0011 for versions that were there before it."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from alembic import command
from sqlalchemy import create_engine, insert, select

from coursehost.context import Context
from coursehost.courses.activity_ids import sco_activity_iri
from coursehost.kit.migrate import alembic_config
from coursehost.models import Application, Course, CourseVersion, XapiVersionActivity, utcnow
from tests.integration.conftest import Api
from tests.support.formats import COURSE_IRI, cmi5_au, cmi5_block, cmi5_xml, tincan_xml
from tests.support.packages import Sco, ScormPackage, zip_bytes
from tests.support.statements import version_pk


def activities(ctx: Context, api: Api, course_id: str, number: int = 0) -> set[str]:
    with ctx.db.session() as session:
        pk = version_pk(session, api.app_id, course_id, number)
        stmt = select(XapiVersionActivity.activity_id).where(XapiVersionActivity.version_pk == pk)
        return set(session.scalars(stmt))


def course_iri(api: Api, course_id: str) -> str:
    return str(api.request("GET", f"/courses/{quote(course_id, safe='')}").json()["xapiActivityId"])


def test_a_scorm_version_answers_to_its_iri_and_each_scos(ctx: Context, api: Api) -> None:
    scos = [Sco("item 1", "One", "a.html"), Sco("item_2", "Two", "b.html")]
    api.import_course("s/1", ScormPackage(identifier="pkg", scos=scos).to_bytes())
    iri = course_iri(api, "s/1")
    assert activities(ctx, api, "s/1") == {iri, f"{iri}/item%201", f"{iri}/item_2"}
    assert sco_activity_iri(iri, "item 1") == f"{iri}/item%201"


def test_a_cmi5_version_answers_to_its_course_blocks_and_aus(ctx: Context, api: Api) -> None:
    au1, au2, block = "https://example.com/au/1", "https://example.com/au/2", "https://example.com/block/1"
    xml = cmi5_xml(cmi5_block(block, cmi5_au(au1)), cmi5_au(au2))
    api.import_course("c", zip_bytes({"cmi5.xml": xml, "index.html": "x"}))
    assert activities(ctx, api, "c") == {COURSE_IRI, block, au1, au2}


def test_an_xapi_version_answers_to_its_activity(ctx: Context, api: Api) -> None:
    api.import_course("x", zip_bytes({"tincan.xml": tincan_xml(), "index.html": "x"}))
    assert activities(ctx, api, "x") == {"http://example.com/course"}


def test_a_new_descriptor_changes_the_activities(ctx: Context, api: Api) -> None:
    api.import_course("c", zip_bytes({"cmi5.xml": cmi5_xml(cmi5_au("https://example.com/au/1")), "index.html": "x"}))
    changed = cmi5_xml(cmi5_au("https://example.com/au/new"), course_id="https://example.com/course/2")
    response = api.request(
        "POST",
        "/courses/c/asset/upload",
        files={"file": ("cmi5.xml", changed.encode(), "text/xml")},
        data={"destination": "cmi5.xml"},
    )
    assert response.status_code == 200, response.text
    assert activities(ctx, api, "c") == {"https://example.com/course/2", "https://example.com/au/new"}


def test_deleting_a_version_deletes_its_activities(ctx: Context, api: Api) -> None:
    package = ScormPackage().to_bytes()
    api.import_course("d", package)
    api.import_course("d", package, mayCreateNewVersion="true")
    with ctx.db.session() as session:
        pk = version_pk(session, api.app_id, "d", 0)
    assert api.request("DELETE", "/courses/d/versions/0").status_code == 204
    with ctx.db.session() as session:
        assert session.scalars(select(XapiVersionActivity).where(XapiVersionActivity.version_pk == pk)).all() == []
    assert activities(ctx, api, "d", 1) == {course_iri(api, "d"), course_iri(api, "d") + "/item_1"}


def test_migration_gives_earlier_versions_their_activities(database_url: str, ctx: Context, api: Api) -> None:
    config = alembic_config(database_url)
    engine = create_engine(database_url)
    scorm_iri = "urn:coursehost:course:a:old"
    trees: dict[str, tuple[str, str, dict[str, Any]]] = {
        "old": ("SCORM12", scorm_iri, {"itemIdentifier": "org", "activityType": "AGGREGATION", "children": [
            {"itemIdentifier": "sco 1", "activityType": "SCO"}, {"itemIdentifier": "asset", "activityType": "ASSET"},
        ]}),
        "old-cmi5": ("CMI5", COURSE_IRI, {"itemIdentifier": COURSE_IRI, "activityType": "AGGREGATION", "children": [
            {"itemIdentifier": "https://example.com/au/1", "activityType": "SCO"},
        ]}),
    }  # fmt: skip
    try:
        command.downgrade(config, "0010")
        now = utcnow()
        with engine.begin() as conn:
            app_pk = conn.execute(select(Application.pk).where(Application.app_id == api.app_id)).scalar_one()
            for course_id, (standard, iri, tree) in trees.items():
                course_pk = conn.execute(
                    insert(Course).values(app_pk=app_pk, course_id=course_id, title="t", latest_version=0,
                                          created=now, updated=now).returning(Course.pk)
                ).scalar_one()  # fmt: skip
                conn.execute(
                    insert(CourseVersion).values(course_pk=course_pk, number=0, title="t", learning_standard=standard,
                                                 package_kind="scorm", xapi_activity_id=iri, root_activity=tree,
                                                 languages=[], parser_warnings=[], size_bytes=0, created=now,
                                                 updated=now)
                )  # fmt: skip
    finally:
        command.upgrade(config, "head")
        engine.dispose()
    assert activities(ctx, api, "old") == {scorm_iri, scorm_iri + "/sco%201"}
    assert activities(ctx, api, "old-cmi5") == {COURSE_IRI, "https://example.com/au/1"}
