"""ADL conformance requirement ids about a statement's content (xAPI 2.0.0 §4.2, 1.0.3 Data §2 and §4), one row each.

Every row mutates a valid statement of our own and runs ``check_statement`` in both versions: a refusal must name the
property at fault; an acceptance must not raise. HTTP-level requirements are in
tests/integration/xapi/test_requirements_http.py."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from coursehost.xapi.statements.validation import InvalidStatement, check_statement
from coursehost.xapi.versions import XapiVersion

Statement = dict[str, Any]
Change = Callable[[Statement], None]

ACTIVITY = "http://courses.example.org/unit-7/quiz"
AGENT = {"objectType": "Agent", "name": "Ada", "mbox": "mailto:ada@learners.example.org"}
OTHER = {"objectType": "Agent", "account": {"homePage": "https://sso.example.org", "name": "grace"}}
STATEMENT_ID = "5f0e0c52-3c43-4c2e-9a7b-5a6b2f1d9e01"


def base() -> Statement:
    return {
        "actor": copy.deepcopy(AGENT),
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-GB": "answered"}},
        "object": {"objectType": "Activity", "id": ACTIVITY, "definition": {"name": {"en-GB": "Unit 7 quiz"}}},
    }


def put(path: str, value: Any) -> Change:
    """Set ``path`` (dots between keys) to ``value``, creating objects on the way."""

    def change(st: Statement) -> None:
        *parents, last = path.split(".")
        node = st
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = copy.deepcopy(value)

    return change


def drop(path: str) -> Change:
    def change(st: Statement) -> None:
        *parents, last = path.split(".")
        node = st
        for key in parents:
            node = node[key]
        del node[last]

    return change


def both(*changes: Change) -> Change:
    def change(st: Statement) -> None:
        for each in changes:
            each(st)

    return change


def interaction(kind: str, **extra: Any) -> Change:
    return put("object.definition", {"interactionType": kind, **extra})


SUB = {"objectType": "SubStatement", "actor": OTHER, "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"},
       "object": {"id": ACTIVITY}}  # fmt: skip
GROUP_OF_TWO = {"objectType": "Group", "member": [AGENT, OTHER]}
OK = None

# (requirement id, what it checks, change to the base statement, a fragment the refusal names, or OK for acceptance)
ROWS: list[tuple[str, str, Change, str | None]] = [
    ("XAPI-00004", "a statement without a verb is refused", drop("verb"), "has no 'verb'"),
    ("XAPI-00005", "a statement without an object is refused", drop("object"), "has no 'object'"),
    ("XAPI-00006", "a wrong data type (verb as a string) is refused", put("verb", "answered"), "statement.verb"),
    ("XAPI-00007", "an empty string where an IRI is due is refused", put("verb.id", ""), "statement.verb.id"),
    ("XAPI-00007", "an mbox without mailto: is refused", put("actor.mbox", "ada@learners.example.org"), "mbox"),
    ("XAPI-00008", "a key in the wrong case is refused", put("Actor", AGENT), "'Actor'"),
    ("XAPI-00010", "a nested key in the wrong case is refused", put("object.definition.Name", {"en": "x"}), "'Name'"),
    (
        "XAPI-00009",
        "an enumerated value in the wrong case is refused",
        put("object.objectType", "activity"),
        "objectType",
    ),
    ("XAPI-00009", "an interactionType in the wrong case is refused", interaction("Choice"), "interactionType"),
    ("XAPI-00011", "an IRI without a scheme is refused", put("object.id", "courses.example.org/quiz"), "object.id"),
    (
        "XAPI-00011",
        "an IRL without a scheme is refused",
        put("object.definition.moreInfo", "www.example.org"),
        "moreInfo",
    ),
    (
        "XAPI-00013",
        "a language tag whose first subtag is nine letters long is refused",
        put("verb.display", {"englishes": "x"}),
        "RFC 5646",
    ),
    (
        "XAPI-00121",
        "language maps follow RFC 5646: a valid tag with script and region is accepted",
        put("verb.display", {"zh-Hant-TW": "回答"}),
        OK,
    ),
    ("XAPI-00121", "a language tag with an empty subtag is refused", put("verb.display", {"en--GB": "x"}), "RFC 5646"),
    ("XAPI-00014", "a statement that is not a JSON object is refused", lambda st: st.clear(), "has no 'actor'"),
    (
        "XAPI-00017",
        "a voiding statement's object must be a StatementRef",
        put("verb", {"id": "http://adlnet.gov/expapi/verbs/voided"}),
        "voiding statement must be a StatementRef",
    ),
    (
        "XAPI-00020",
        "a voiding statement targets a statement by StatementRef and is accepted",
        both(
            put("verb", {"id": "http://adlnet.gov/expapi/verbs/voided"}),
            put("object", {"objectType": "StatementRef", "id": STATEMENT_ID}),
        ),
        OK,
    ),
    (
        "XAPI-00022",
        "a timestamp that is not a timestamp is refused",
        put("timestamp", "last Tuesday"),
        "statement.timestamp",
    ),
    (
        "XAPI-00123",
        "a timestamp is ISO 8601: a date without time is refused",
        put("timestamp", "2026-11-27"),
        "statement.timestamp",
    ),
    (
        "XAPI-00123",
        "an ISO 8601 timestamp with an offset is accepted",
        put("timestamp", "2026-11-27T10:15:30+01:00"),
        OK,
    ),
    ("XAPI-00023", "a stored value that is not a timestamp is refused", put("stored", 1700000000), "statement.stored"),
    ("XAPI-00097", "a statement with a stored property is accepted", put("stored", "2026-11-27T10:15:30.123Z"), OK),
    (
        "XAPI-00024",
        "an authority that is not an Agent or Group is refused",
        put("authority", "the LMS"),
        "statement.authority",
    ),
    ("XAPI-00024", "an authority that is an Agent is accepted", put("authority", OTHER), OK),
    ("XAPI-00098", "an authority Group of two agents is accepted", put("authority", GROUP_OF_TWO), OK),
    (
        "XAPI-00098",
        "an authority Group of three agents is refused",
        put("authority", {"objectType": "Group", "member": [AGENT, OTHER, {"mbox": "mailto:x@example.org"}]}),
        "exactly two agents",
    ),
    (
        "XAPI-00025",
        "attachments that are not an array are refused",
        put("attachments", {"usageType": ACTIVITY}),
        "statement.attachments",
    ),
    (
        "XAPI-00028",
        "a UUID in braces (not the standard string form) is refused",
        put("id", "{" + STATEMENT_ID + "}"),
        "statement.id",
    ),
    ("XAPI-00029", "a UUID without hyphens is refused", put("id", STATEMENT_ID.replace("-", "")), "statement.id"),
    (
        "XAPI-00030",
        "a UUID is RFC 4122: a hex string of the wrong length is refused",
        put("id", STATEMENT_ID[:-1]),
        "statement.id",
    ),
    ("XAPI-00033", "an agent's name must be a string", put("actor.name", ["Ada"]), "statement.actor.name"),
    (
        "XAPI-00034",
        "an Agent with no inverse functional identifier is refused",
        drop("actor.mbox"),
        "exactly one inverse functional identifier",
    ),
    (
        "XAPI-00034",
        "an Agent with two inverse functional identifiers is refused",
        put("actor.openid", "https://openid.example.org/ada"),
        "statement.actor",
    ),
    (
        "XAPI-00035",
        "an anonymous Group must use member",
        put("actor", {"objectType": "Group", "name": "team"}),
        "must list its members",
    ),
    (
        "XAPI-00037",
        "an identified Group with an mbox is accepted",
        put("actor", {"objectType": "Group", "mbox": "mailto:team@example.org"}),
        OK,
    ),
    (
        "XAPI-00037",
        "an identified Group with two identifiers is refused",
        put("actor", {"objectType": "Group", "mbox": "mailto:team@example.org", "openid": "https://id.example.org/t"}),
        "statement.actor",
    ),
    ("XAPI-00039", "an mbox_sha1sum must be a string", put("actor", {"mbox_sha1sum": 1234}), "mbox_sha1sum"),
    ("XAPI-00040", "an openid must be a URI", put("actor", {"openid": "not a uri"}), "openid"),
    (
        "XAPI-00041",
        "an account must be an Account object",
        put("actor", {"account": "grace@sso"}),
        "statement.actor.account",
    ),
    ("XAPI-00045", "a verb's display must be a language map", put("verb.display", "answered"), "verb.display"),
    ("XAPI-00047", "an Activity must have an id", drop("object.id"), "has no 'id'"),
    ("XAPI-00047", "an Activity's id must be an IRI", put("object.id", "quiz 7"), "statement.object.id"),
    (
        "XAPI-00048",
        "an Activity's definition must be an object",
        put("object.definition", "a quiz"),
        "object.definition",
    ),
    (
        "XAPI-00056",
        "a definition's name must be a language map",
        put("object.definition.name", "Quiz"),
        "definition.name",
    ),
    (
        "XAPI-00059",
        "a definition's description must be a language map",
        put("object.definition.description", 7),
        "definition.description",
    ),
    ("XAPI-00060", "a definition's type must be an IRI", put("object.definition.type", "quiz"), "definition.type"),
    (
        "XAPI-00061",
        "a definition's moreInfo must be an IRL",
        put("object.definition.moreInfo", "see the wiki"),
        "definition.moreInfo",
    ),
    (
        "XAPI-00062",
        "a definition's extensions must be an object with IRI keys",
        put("object.definition.extensions", {"difficulty": 3}),
        "definition.extensions",
    ),
    (
        "XAPI-00050",
        "a correctResponsesPattern must be an array of strings",
        interaction("true-false", correctResponsesPattern=[True]),
        "correctResponsesPattern[0]",
    ),
    (
        "XAPI-00051",
        "choices must be an array of interaction components",
        interaction("choice", choices="a,b"),
        "definition.choices",
    ),
    (
        "XAPI-00052",
        "scale must be an array of interaction components",
        interaction("likert", scale={"id": "1"}),
        "definition.scale",
    ),
    (
        "XAPI-00053",
        "source must be an array of interaction components",
        interaction("matching", source=[{"description": {"en": "x"}}], target=[{"id": "t"}]),
        "source[0].id",
    ),
    (
        "XAPI-00054",
        "target must be an array of interaction components",
        interaction("matching", source=[{"id": "s"}], target=[{"id": 2}]),
        "target[0].id",
    ),
    (
        "XAPI-00055",
        "steps must be an array of interaction components",
        interaction("performance", steps=[{"id": "one"}, {"id": "one"}]),
        "repeats the id",
    ),
    (
        "XAPI-00063",
        "an interaction component's description must be a language map",
        interaction("sequencing", choices=[{"id": "a", "description": "first"}]),
        "choices[0].description",
    ),
    (
        "XAPI-00063",
        "interaction components belong to their interaction type",
        interaction("true-false", choices=[{"id": "a"}]),
        "'choices'",
    ),
    (
        "XAPI-00064",
        "interaction properties without an interactionType are refused",
        put("object.definition.choices", [{"id": "a"}]),
        "no interactionType",
    ),
    (
        "XAPI-00065",
        "an Agent as the object must say objectType",
        put("object", {"mbox": "mailto:grace@example.org"}),
        "statement.object",
    ),
    ("XAPI-00065", "an Agent as the object with objectType is accepted", put("object", OTHER), OK),
    (
        "XAPI-00066",
        "a SubStatement follows the rules of statements (its actor needs an IFI)",
        put("object", {**SUB, "actor": {"name": "nobody"}}),
        "statement.object.actor",
    ),
    ("XAPI-00066", "a valid SubStatement is accepted", put("object", SUB), OK),
    ("XAPI-00067", "a SubStatement cannot have an authority", put("object", {**SUB, "authority": OTHER}), "authority"),
    ("XAPI-00068", "a SubStatement cannot have a version", put("object", {**SUB, "version": "1.0.0"}), "version"),
    (
        "XAPI-00071",
        "a SubStatement cannot contain a SubStatement",
        put("object", {**SUB, "object": SUB}),
        "SubStatement inside a SubStatement",
    ),
    (
        "XAPI-00072",
        "a StatementRef must have an id",
        put("object", {"objectType": "StatementRef"}),
        "statement.object.id",
    ),
    (
        "XAPI-00072",
        "a StatementRef's id must be a UUID",
        put("object", {"objectType": "StatementRef", "id": "42"}),
        "statement.object.id",
    ),
    ("XAPI-00074", "result.success must be a boolean", put("result.success", "yes"), "result.success"),
    ("XAPI-00075", "result.completion must be a boolean", put("result.completion", 1), "result.completion"),
    ("XAPI-00076", "result.response must be a string", put("result.response", 42), "result.response"),
    (
        "XAPI-00077",
        "result.duration must be an ISO 8601 duration",
        put("result.duration", "90 seconds"),
        "result.duration",
    ),
    ("XAPI-00077", "an ISO 8601 duration with fractional seconds is accepted", put("result.duration", "PT1M30.5S"), OK),
    ("XAPI-00078", "result.extensions must be an object", put("result.extensions", ["x"]), "result.extensions"),
    ("XAPI-00079", "result.score must be an object", put("result.score", 0.8), "result.score"),
    ("XAPI-00080", "score.max must be a number", put("result.score", {"max": "100"}), "score.max"),
    (
        "XAPI-00081",
        "score.min must be less than score.max",
        put("result.score", {"min": 10, "max": 10}),
        "min that is not less than its max",
    ),
    (
        "XAPI-00082",
        "score.raw must lie between min and max",
        put("result.score", {"min": 0, "max": 10, "raw": 11}),
        "score.raw",
    ),
    ("XAPI-00082", "score.raw equal to max is accepted", put("result.score", {"min": 0, "max": 10, "raw": 10}), OK),
    ("XAPI-00083", "score.scaled must lie between -1 and 1", put("result.score", {"scaled": 1.01}), "score.scaled"),
    ("XAPI-00083", "score.scaled of -1 is accepted", put("result.score", {"scaled": -1}), OK),
    (
        "XAPI-00084",
        "context.revision is refused when the object is not an Activity",
        both(put("object", OTHER), put("context.revision", "r2")),
        "context.revision",
    ),
    (
        "XAPI-00085",
        "context.platform is refused when the object is not an Activity",
        both(put("object", {"objectType": "StatementRef", "id": STATEMENT_ID}), put("context.platform", "web")),
        "context.platform",
    ),
    (
        "XAPI-00086",
        "context.contextActivities must be an object",
        put("context.contextActivities", [ACTIVITY]),
        "context.contextActivities",
    ),
    ("XAPI-00087", "context.registration must be a UUID", put("context.registration", "reg-1"), "context.registration"),
    (
        "XAPI-00087",
        "context.instructor must be an Agent",
        put("context.instructor", {"name": "no ifi"}),
        "context.instructor",
    ),
    ("XAPI-00088", "context.team must be a Group", put("context.team", OTHER), "context.team"),
    ("XAPI-00089", "context.revision must be a string", put("context.revision", 2), "context.revision"),
    ("XAPI-00090", "context.platform must be a string", put("context.platform", {"name": "web"}), "context.platform"),
    ("XAPI-00091", "context.language must be a language tag string", put("context.language", 44), "context.language"),
    (
        "XAPI-00093",
        "contextActivities keys are parent, grouping, category, other",
        put("context.contextActivities", {"sibling": [{"id": ACTIVITY}]}),
        "'sibling'",
    ),
    (
        "XAPI-00094",
        "contextActivities values are Activities",
        put("context.contextActivities", {"parent": [OTHER]}),
        "must be an Activity",
    ),
    (
        "XAPI-00094",
        "a single contextActivities Activity (not in an array) is accepted",
        put("context.contextActivities", {"grouping": {"id": ACTIVITY}}),
        OK,
    ),
    (
        "XAPI-00102",
        "an attachment's length must be an integer",
        lambda st: st.update(attachments=[attachment(length=1.5)]),
        "attachments[0].length",
    ),
    (
        "XAPI-00103",
        "an attachment's sha2 must be a string of hexadecimal digits",
        lambda st: st.update(attachments=[attachment(sha2=12)]),
        "attachments[0].sha2",
    ),
    (
        "XAPI-00104",
        "an attachment's fileUrl must be an IRL",
        lambda st: st.update(attachments=[attachment(fileUrl="report.pdf")]),
        "attachments[0].fileUrl",
    ),
    (
        "XAPI-00105",
        "an attachment's contentType must be a media type",
        lambda st: st.update(attachments=[attachment(contentType="pdf")]),
        "attachments[0].contentType",
    ),
    (
        "XAPI-00106",
        "an attachment's display must be a language map",
        lambda st: st.update(attachments=[attachment(display="Report")]),
        "attachments[0].display",
    ),
    (
        "XAPI-00107",
        "an attachment's usageType must be an IRI",
        lambda st: st.update(attachments=[attachment(usageType="report")]),
        "attachments[0].usageType",
    ),
    ("XAPI-00107", "a complete attachment is accepted", lambda st: st.update(attachments=[attachment()]), OK),
    ("XAPI-00118", "extension keys must be IRIs", put("context.extensions", {"room": "B12"}), "context.extensions"),
    ("XAPI-00120", "extensions must be an object", put("context.extensions", "room B12"), "context.extensions"),
    (
        "XAPI-00120",
        "extensions with IRI keys and any JSON values are accepted",
        put("context.extensions", {"http://example.org/ext/room": {"building": "B", "floor": [1, 2]}}),
        OK,
    ),
]


def attachment(**changes: Any) -> dict[str, Any]:
    result: dict[str, Any] = {
        "usageType": "http://example.org/attachment/report",
        "display": {"en-GB": "Report"},
        "contentType": "application/pdf",
        "length": 2048,
        "sha2": "a" * 64,
    }
    result.update(changes)
    return result


@pytest.mark.parametrize("version", [XapiVersion.V2, XapiVersion.V1], ids=["2.0.0", "1.0.3"])
@pytest.mark.parametrize(("requirement", "what", "change", "named"), ROWS, ids=[f"{r[0]} {r[1]}" for r in ROWS])
def test_statement_requirement(
    requirement: str, what: str, change: Change, named: str | None, version: XapiVersion
) -> None:
    st = base()
    change(st)
    if named is None:
        check_statement(st, version)
        return
    with pytest.raises(InvalidStatement) as caught:
        check_statement(st, version)
    assert named in caught.value.message, f"{requirement}: {what}"


def test_the_base_statement_is_valid() -> None:
    for version in (XapiVersion.V2, XapiVersion.V1):
        check_statement(base(), version)
