"""getCourseStatements and getCourseVersionStatements (xapi/course_statements, xapi/links): which statements
belong to a course version (issue 12 §3: a launch of the version, or its object or a context activity among the
version's activities), their filters, paging and isolation between applications.

Statements are put in as rows and linked as the statement store links them (tests/support/statements.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from coursehost.config import Settings
from coursehost.context import Context
from tests.integration.conftest import Api
from tests.support.formats import COURSE_IRI, cmi5_au, cmi5_block, cmi5_xml
from tests.support.packages import zip_bytes
from tests.support.statements import VOIDED, agent, at, insert_statement, statement

AU = "https://example.com/au/1"
AU2 = "https://example.com/au/2"
BLOCK = "https://example.com/block/1"
ELSEWHERE = "https://example.com/not-a-course-activity"
PAGE = 3


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"page_size": PAGE})


def cmi5_package(*aus: str, course: str = COURSE_IRI) -> bytes:
    members = [cmi5_block(BLOCK, *(cmi5_au(au) for au in aus))] if aus else [cmi5_au(AU)]
    return zip_bytes({"cmi5.xml": cmi5_xml(*members, course_id=course), "index.html": "x"})


def put(ctx: Context, api: Api, body: dict[str, Any], stored_s: float, **kwargs: Any) -> str:
    with ctx.db.session() as session:
        insert_statement(session, api.app_id, body, at(stored_s), **kwargs)
    return str(body["id"])


def ids(api: Api, path: str, **params: Any) -> list[str]:
    """Every statement id the operation answers, following ``more`` to the end."""
    found: list[str] = []
    while True:
        response = api.request("GET", path, params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        found += [s["id"] for s in body["statements"]]
        if "more" not in body:
            return found
        params = {"more": body["more"]}


def course_path(course_id: str, version: int | None = None) -> str:
    base = f"/courses/{quote(course_id, safe='')}"
    return f"{base}/xAPIStatements" if version is None else f"{base}/versions/{version}/xAPIStatements"


@pytest.fixture
def course(api: Api) -> str:
    api.import_course("c5", cmi5_package(AU))
    return "c5"


def test_a_statement_belongs_by_its_object(ctx: Context, api: Api, course: str) -> None:
    # Issue 12 §3: the object is the course, an AU or a block of the version.
    expected = [put(ctx, api, statement(iri), n) for n, iri in enumerate((COURSE_IRI, AU, BLOCK))]
    put(ctx, api, statement(ELSEWHERE), 10)
    assert ids(api, course_path(course)) == expected
    assert ids(api, course_path(course, 0)) == expected


@pytest.mark.parametrize("kind", ["parent", "grouping", "category", "other"])
def test_a_statement_belongs_by_a_context_activity(ctx: Context, api: Api, course: str, kind: str) -> None:
    listed = statement(ELSEWHERE, context={"contextActivities": {kind: [{"id": ELSEWHERE + "/x"}, {"id": AU}]}})
    # xAPI 1.0.x (Data 2.4.6.2): a single activity object may stand where a list is usual.
    single = statement(ELSEWHERE, context={"contextActivities": {kind: {"id": COURSE_IRI}}})
    expected = [put(ctx, api, listed, 1), put(ctx, api, single, 2)]
    body = api.request("GET", course_path(course)).json()
    assert [s["id"] for s in body["statements"]] == expected
    assert body["statements"][1]["context"]["contextActivities"][kind] == [{"objectType": "Activity", "id": COURSE_IRI}]


def test_a_sub_statements_activities_do_not_make_it_belong(ctx: Context, api: Api, course: str) -> None:
    sub = {"objectType": "SubStatement", "actor": agent(), "verb": statement()["verb"], "object": {"id": AU}}
    put(ctx, api, statement(None, object=sub), 1)
    assert ids(api, course_path(course)) == []


def test_a_launch_of_the_version_links_what_it_posts(ctx: Context, api: Api, course: str) -> None:
    launched = put(ctx, api, statement(ELSEWHERE), 1, launch=(course, 0))
    assert ids(api, course_path(course)) == [launched]
    assert ids(api, course_path(course, 0)) == [launched]


def test_versions_sharing_an_activity_list_each_statement_once(ctx: Context, api: Api, course: str) -> None:
    api.import_course(course, cmi5_package(AU, AU2), mayCreateNewVersion="true")
    shared = put(ctx, api, statement(AU), 1)
    only_new = put(ctx, api, statement(AU2), 2)
    launched_old = put(ctx, api, statement(AU), 3, launch=(course, 0))  # matches both, launched from one
    assert ids(api, course_path(course)) == [shared, only_new, launched_old]
    assert ids(api, course_path(course, 0)) == [shared, launched_old]
    assert ids(api, course_path(course, 1)) == [shared, only_new, launched_old]


def test_other_applications_statements_are_never_listed(
    ctx: Context, api: Api, client: Any, make_app: Any, course: str
) -> None:
    other = Api(client, make_app("other"))
    other.import_course(course, cmi5_package(AU))  # the same course id and activity IRIs
    mine = put(ctx, api, statement(AU), 1)
    theirs = put(ctx, other, statement(AU), 2)
    theirs_launched = put(ctx, other, statement(ELSEWHERE), 3, launch=(course, 0))
    assert ids(api, course_path(course)) == [mine]
    assert ids(other, course_path(course)) == [theirs, theirs_launched]


def test_voided_statements_are_not_listed_and_the_voiding_one_is_when_it_belongs(
    ctx: Context, api: Api, course: str
) -> None:
    # xAPI Data 2.3.2: a voided statement is no longer returned by queries; the voiding statement is a statement like
    # any other, listed when it belongs to the course by the same rule (here, its context names the course).
    kept = put(ctx, api, statement(AU), 1)
    target = statement(AU)
    put(ctx, api, target, 2, voided=True)
    voiding = statement(
        None,
        verb={"id": VOIDED, "display": {"en-US": "voided"}},
        object={"objectType": "StatementRef", "id": target["id"]},
        context={"contextActivities": {"parent": [{"id": COURSE_IRI}]}},
    )
    put(ctx, api, voiding, 3)
    put(ctx, api, statement(None, verb=voiding["verb"], object={"objectType": "StatementRef", "id": kept}), 4)
    assert ids(api, course_path(course)) == [kept, voiding["id"]]


def test_learner_id_matches_account_name_or_mbox(ctx: Context, api: Api, course: str) -> None:
    by_account = put(ctx, api, statement(AU, actor=agent("ann@example.com")), 1)
    by_mbox = put(ctx, api, statement(AU, actor={"mbox": "mailto:ann@example.com"}), 2)  # objectType left out
    put(ctx, api, statement(AU, actor=agent("bob")), 3)
    put(ctx, api, statement(AU, actor={"mbox_sha1sum": "ab" * 20}), 4)
    for learner in ("ann@example.com", "mailto:ann@example.com"):
        assert ids(api, course_path(course), learnerId=learner) == [by_account, by_mbox]
        assert ids(api, course_path(course, 0), learnerId=learner) == [by_account, by_mbox]
    assert len(ids(api, course_path(course), learnerId="bob")) == 1
    assert ids(api, course_path(course), learnerId="nobody") == []


def test_since_and_until_are_inclusive_bounds_on_stored(ctx: Context, api: Api, course: str) -> None:
    made = [put(ctx, api, statement(AU), n) for n in range(5)]
    since, until = at(1).isoformat(), at(3).isoformat()
    assert ids(api, course_path(course), since=since, until=until) == made[1:4]
    assert ids(api, course_path(course, 0), since=since) == made[1:]
    # A naive datetime is UTC (reference §1); milliseconds written as the API writes them.
    assert ids(api, course_path(course), until=at(2).strftime("%Y-%m-%dT%H:%M:%S.%f")) == made[:3]
    assert ids(api, course_path(course), until="2026-01-01T12:00:01.000Z") == made[:2]


def test_pages_follow_more_and_keep_the_first_requests_filters(ctx: Context, api: Api, course: str) -> None:
    # Several statements share a stored time: the (stored, pk) keyset neither skips nor repeats one.
    made = [put(ctx, api, statement(AU, actor=agent("ann" if n % 3 else "bob")), n // 2) for n in range(12)]
    first = api.request("GET", course_path(course)).json()
    assert len(first["statements"]) == PAGE
    assert "more" in first
    assert ids(api, course_path(course)) == made
    anns = [m for n, m in enumerate(made) if n % 3]
    assert ids(api, course_path(course), learnerId="ann") == anns
    # The token carries the filters: other parameters sent with it are ignored (reference §4).
    page = api.request("GET", course_path(course), params={"learnerId": "ann"}).json()
    rest = api.request("GET", course_path(course), params={"more": page["more"], "learnerId": "bob"}).json()
    assert [s["id"] for s in rest["statements"]] == anns[PAGE : 2 * PAGE]
    last = api.request("GET", course_path(course, 0), params={"since": at(5).isoformat()}).json()
    assert [s["id"] for s in last["statements"]] == made[10:]
    assert "more" not in last


def test_a_more_token_only_works_for_its_own_request(
    ctx: Context, api: Api, client: Any, make_app: Any, course: str
) -> None:
    for n in range(PAGE + 1):
        put(ctx, api, statement(AU), n)
    token = api.request("GET", course_path(course)).json()["more"]
    api.import_course("c5-b", cmi5_package(AU))
    other = Api(client, make_app("other"))
    other.import_course(course, cmi5_package(AU))
    refused = [
        api.request("GET", course_path("c5-b"), params={"more": token}),
        api.request("GET", course_path(course, 0), params={"more": token}),
        other.request("GET", course_path(course), params={"more": token}),
        api.request("GET", course_path(course), params={"more": token[:-2]}),
        api.request("GET", "/courses", params={"more": token}),
    ]
    assert [r.status_code for r in refused] == [400] * 5
    assert all("more" in r.json()["message"] for r in refused)
    assert api.request("GET", course_path(course), params={"more": token}).status_code == 200


def test_unknown_course_or_version_is_404(api: Api, client: Any, make_app: Any, course: str) -> None:
    other = Api(client, make_app("other"))
    answers = [
        api.request("GET", course_path("nope")),
        api.request("GET", course_path(course, 7)),
        api.request("GET", course_path(course, -1)),
        other.request("GET", course_path(course)),
        other.request("GET", course_path(course, 0)),
    ]
    assert [r.status_code for r in answers] == [404] * 5
    assert answers[0].json()["message"] == "Could not find course [nope]"
    assert api.request("GET", course_path(course)).json() == {"statements": []}


def test_bad_parameters_are_400(api: Api, course: str) -> None:
    for params in ({"since": "yesterday"}, {"until": "2026-13-01T00:00:00Z"}, {"more": "garbage"}):
        response = api.request("GET", course_path(course), params=params)
        assert response.status_code == 400, params
    assert api.request("GET", course_path(course, 2**31)).status_code == 400


def test_a_deleted_version_takes_its_links_and_activities(ctx: Context, api: Api, course: str) -> None:
    api.import_course(course, cmi5_package(AU), mayCreateNewVersion="true")
    kept = put(ctx, api, statement(AU), 1)
    assert api.request("DELETE", f"/courses/{course}/versions/0").status_code == 204
    assert ids(api, course_path(course)) == [kept]  # still linked to version 1
    assert api.request("DELETE", f"/courses/{course}/versions/1").status_code == 204
    api.import_course(course, cmi5_package(AU))
    assert ids(api, course_path(course)) == []  # links are stamped when a statement is stored


def test_the_document_requires_what_the_clients_require(client: Any) -> None:
    # Reference §12.3: the official clients raise when these are missing, so the document says they are always sent.
    schemas = client.get("/api/v2/openapi.json").json()["components"]["schemas"]
    required = {name: set(schemas[name].get("required", ())) for name in schemas if name.startswith("Xapi")}
    assert required["XapiStatementResult"] == {"statements"}
    assert required["XapiAgentGroup"] == {"objectType"}
    assert required["XapiAccount"] == {"homePage", "name"}
    assert required["XapiVerb"] == required["XapiActivity"] == required["XapiInteractionComponent"] == {"id"}
    assert required["XapiStatementReference"] == {"objectType", "id"}
    assert required["XapiAttachment"] == {"usageType", "display", "contentType", "length", "sha2"}
    assert "mbox_sha1sum" in schemas["XapiAgentGroup"]["properties"]
    statement_keys = set(schemas["XapiStatement"]["properties"])
    assert {"objectActivity", "objectAgentGroup", "objectStatementReference", "objectSubStatement"} <= statement_keys
    assert "object" not in statement_keys
