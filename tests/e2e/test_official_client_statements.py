"""getCourseStatements and getCourseVersionStatements through the official Python client, unmodified: it
deserialises every part of SCORM Cloud's XapiStatement form (reference §9, §12) and pages with ``more``.

Most tests put statements in as rows through the e2e server's database, linked as the statement store links them
(tests/support/statements.py), so that their stored times are exact; the last posts them to the LRS over HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
import rustici_software_cloud_v2 as sc

from coursehost.kit.db import Database
from tests.e2e.conftest import (
    Credentials,
    Server,
    Store,
    close_api,
    expect_api_error,
    import_course,
    make_api,
    unique_id,
)
from tests.support.formats import cmi5_au, cmi5_xml
from tests.support.packages import zip_bytes
from tests.support.statements import agent, at, insert_statement, statement

AU = "https://example.com/au/1"
CHOICE = {
    "name": {"en-US": "Pick one"},
    "description": {"en-US": "A question"},
    "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
    "moreInfo": "https://example.com/more",
    "interactionType": "choice",
    "correctResponsesPattern": ["golf"],
    "choices": [{"id": "golf", "description": {"en-US": "Golf"}}, {"id": "tetris"}],
    "extensions": {"https://example.com/ext": {"nested": [1, None]}},
}
ATTACHMENT = {
    "usageType": "http://adlnet.gov/expapi/attachments/signature",
    "display": {"en-US": "Signature"},
    "description": {"en-US": "A signature"},
    "contentType": "application/octet-stream",
    "length": 4,
    "sha2": "a" * 64,
    "fileUrl": "https://example.com/file",
}


@pytest.fixture(scope="module")
def database(store: Store) -> Iterator[Database]:
    db = Database(store.database_url)
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def paging_api(paging_server: Server, creds: Credentials) -> Iterator[sc.CourseApi]:
    client = make_api(paging_server, creds.app_id, creds.secret_key)
    yield client
    close_api(client)


def cmi5_course(api: sc.CourseApi, tmp_path: Path) -> tuple[str, str]:
    """A new cmi5 course (its own course IRI, so other tests' statements never match) and that IRI."""
    course_id, iri = unique_id("st"), f"https://example.com/course/{uuid.uuid4()}"
    package = zip_bytes({"cmi5.xml": cmi5_xml(cmi5_au(AU + "/" + iri[-8:]), course_id=iri), "index.html": "x"})
    import_course(api, tmp_path, course_id, package)
    return course_id, iri


def put(database: Database, creds: Credentials, body: dict[str, Any], stored: datetime, **kwargs: Any) -> str:
    with database.session() as session:
        insert_statement(session, creds.app_id, body, stored, **kwargs)
    return str(body["id"])


def test_every_part_of_a_statement_reaches_the_client(
    api: sc.CourseApi, database: Database, creds: Credentials, tmp_path: Path
) -> None:
    course_id, iri = cmi5_course(api, tmp_path)
    body = statement(
        iri,
        actor={"mbox": "mailto:ann@example.com", "name": "Ann"},  # objectType left out: Agent (xAPI Data 2.4.2.1)
        object={"objectType": "Activity", "id": iri, "definition": CHOICE},
        result={
            "score": {"scaled": 0.5, "raw": 5, "min": 0, "max": 10},
            "success": True,
            "completion": False,
            "response": "golf",
            "duration": "PT1M30.5S",
            "extensions": {"https://example.com/r": 1},
        },
        context={
            "registration": str(uuid.uuid4()),
            "instructor": {"mbox_sha1sum": "b" * 40},
            "team": {"objectType": "Group", "name": "T", "member": [agent("m1"), {"openid": "https://id/x"}]},
            "contextActivities": {"parent": {"id": AU}, "grouping": [{"id": iri}]},
            "revision": "r1",
            "platform": "p",
            "language": "en-US",
            "statement": {"objectType": "StatementRef", "id": str(uuid.uuid4())},
            "extensions": {"https://example.com/c": "x"},
        },
        timestamp="2026-01-01T14:00:00.250+02:00",
        attachments=[ATTACHMENT],
    )
    put(database, creds, body, at(1))
    page = api.get_course_statements(course_id)
    assert page.more is None
    assert len(page.statements) == 1
    got = page.statements[0]
    assert got.id == body["id"]
    assert (got.actor.object_type, got.actor.mbox, got.actor.name) == ("Agent", "mailto:ann@example.com", "Ann")
    assert (got.verb.id, got.verb.display) == (body["verb"]["id"], {"en-US": "experienced"})
    assert got.object_activity.id == iri
    assert got.object_agent_group is None
    definition = got.object_activity.definition
    assert (definition.interaction_type, definition.correct_responses_pattern) == ("choice", ["golf"])
    assert [(c.id, c.description) for c in definition.choices] == [("golf", {"en-US": "Golf"}), ("tetris", None)]
    assert (definition.more_info, definition.extensions) == (CHOICE["moreInfo"], CHOICE["extensions"])
    score = got.result.score
    assert (score.scaled, score.raw, score.min, score.max) == (0.5, 5.0, 0.0, 10.0)
    assert (got.result.success, got.result.completion, got.result.duration) == (True, False, "PT1M30.5S")
    context = got.context
    assert context.instructor.mbox_sha1sum == "b" * 40
    assert (context.team.object_type, [m.object_type for m in context.team.member]) == ("Group", ["Agent"] * 2)
    assert context.team.member[0].account.home_page == "https://example.com"
    assert [a.id for a in context.context_activities.parent] == [AU]
    assert context.statement.object_type == "StatementRef"
    assert (context.revision, context.platform, context.language) == ("r1", "p", "en-US")
    assert got.timestamp == datetime(2026, 1, 1, 12, 0, 0, 250000, tzinfo=UTC)
    assert got.stored == at(1)
    assert got.authority.account.name == creds.app_id
    attachment = got.attachments[0]
    assert (attachment.usage_type, attachment.length, attachment.sha2) == (ATTACHMENT["usageType"], 4, "a" * 64)
    assert (attachment.display, attachment.file_url) == ({"en-US": "Signature"}, ATTACHMENT["fileUrl"])


def test_each_kind_of_object_has_its_own_key(
    api: sc.CourseApi, database: Database, creds: Credentials, tmp_path: Path
) -> None:
    course_id, iri = cmi5_course(api, tmp_path)
    parent = {"contextActivities": {"parent": [{"id": iri}]}}
    target = str(uuid.uuid4())
    sub = {"objectType": "SubStatement", "actor": agent("s"), "verb": statement()["verb"], "object": {"id": AU}}
    bodies = [
        statement(None, object=agent("bob"), context=parent),
        statement(None, object={"objectType": "StatementRef", "id": target}, context=parent),
        statement(None, object=sub, context=parent),
    ]
    for n, body in enumerate(bodies):
        put(database, creds, body, at(n), launch=None)
    agent_object, reference, sub_statement = api.get_course_version_statements(course_id, 0).statements
    assert (agent_object.object_agent_group.account.name, agent_object.object_activity) == ("bob", None)
    assert (reference.object_statement_reference.object_type, reference.object_statement_reference.id) == (
        "StatementRef",
        target,
    )
    assert sub_statement.object_sub_statement.object_activity.id == AU
    assert sub_statement.object_sub_statement.actor.account.name == "s"


def test_paging_filters_and_errors(
    api: sc.CourseApi,
    paging_api: sc.CourseApi,
    other_api: sc.CourseApi,
    database: Database,
    creds: Credentials,
    tmp_path: Path,
) -> None:
    course_id, iri = cmi5_course(api, tmp_path)
    made = [put(database, creds, statement(iri, actor=agent("ann" if n % 2 else "bob")), at(n)) for n in range(8)]
    launched = put(database, creds, statement("https://example.com/elsewhere"), at(9), launch=(course_id, 0))
    seen: list[str] = []
    page = paging_api.get_course_statements(course_id)
    pages = 1
    while page.more is not None:
        seen += [s.id for s in page.statements]
        page = paging_api.get_course_statements(course_id, more=page.more)
        pages += 1
    seen += [s.id for s in page.statements]
    assert (seen, pages) == ([*made, launched], 3)
    anns = paging_api.get_course_version_statements(course_id, 0, learner_id="ann")
    assert [s.id for s in anns.statements] == made[1:6:2]
    assert [s.id for s in paging_api.get_course_version_statements(course_id, 0, more=anns.more).statements] == [
        made[7]
    ]
    # The client sends datetimes with isoformat(): an offset, or none (UTC), and microseconds.
    plus_two = timezone(timedelta(hours=2))
    window = api.get_course_statements(course_id, since=at(2).astimezone(plus_two), until=at(4).replace(tzinfo=None))
    assert [s.id for s in window.statements] == made[2:5]
    assert expect_api_error(404, lambda: api.get_course_statements(unique_id("missing"))).status == 404
    assert expect_api_error(404, lambda: api.get_course_version_statements(course_id, 3)).status == 404
    assert expect_api_error(404, lambda: other_api.get_course_statements(course_id)).status == 404
    assert expect_api_error(400, lambda: api.get_course_statements(course_id, more="forged")).status == 400


def test_statements_posted_to_the_lrs_come_back_through_the_course_operations(
    api: sc.CourseApi, server: Server, creds: Credentials, tmp_path: Path
) -> None:
    """The whole path: an xAPI credential made with the official client's XapiApi posts to the application's LRS
    over HTTP, and getCourseStatements / getCourseVersionStatements read the statements back, by learner too."""
    course_id, iri = cmi5_course(api, tmp_path)
    xapi = sc.XapiApi(api.api_client)
    key = xapi.create_xapi_credential(
        sc.XapiCredentialPostSchema(
            name="reporter",
            secret="s3cret-reporter",
            is_enabled=True,
            auth=sc.XapiCredentialAuthTypeSchema("BASICAUTH"),
            permissions_level=sc.XapiCredentialPermissionsLevelSchema("DEFAULT"),
        )
    ).result
    learners = ["ann", "bob"]
    posted = [
        statement(iri, actor=agent(name), context={"contextActivities": {"grouping": [{"id": iri}]}})
        for name in learners
    ]
    response = httpx.post(
        f"{server.base_url}/lrs/{creds.app_id}/statements",
        json=posted,
        auth=(key, "s3cret-reporter"),
        headers={"X-Experience-API-Version": "2.0.0"},
    )
    assert response.status_code == 200, response.text
    assert response.json() == [s["id"] for s in posted]
    everything = api.get_course_statements(course_id).statements
    assert [s.id for s in everything] == [s["id"] for s in posted]
    assert [s.id for s in api.get_course_version_statements(course_id, 0).statements] == [s["id"] for s in posted]
    (bob,) = api.get_course_statements(course_id, learner_id="bob").statements
    assert bob.actor.account.name == "bob"
    assert bob.authority.account.name == key
