"""Statement validation (xapi/statements/validation.py) against xAPI 2.0.0 §4.2 and 1.0.3 Data §2; requirement ids
are ADL's conformance suite's."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from coursehost.xapi.statements.validation import InvalidStatement, check_statement
from coursehost.xapi.versions import XapiVersion

V2, V1 = XapiVersion.V2, XapiVersion.V1
AGENT = {"objectType": "Agent", "mbox": "mailto:learner@example.com"}
BASE: dict[str, Any] = {
    "actor": AGENT,
    "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended"}},
    "object": {"id": "http://example.com/activity"},
}


def statement(**changes: Any) -> dict[str, Any]:
    result = copy.deepcopy(BASE)
    result.update(changes)
    return result


def refused(st: Any, version: XapiVersion = V2) -> str:
    with pytest.raises(InvalidStatement) as caught:
        check_statement(st, version)
    return caught.value.message


def test_a_minimal_statement_is_valid_in_both_versions() -> None:
    for version in (V2, V1):
        check_statement(statement(), version)


def test_unknown_and_null_properties_are_refused() -> None:
    assert "'foo'" in refused(statement(foo=1))  # XAPI-00001: no properties xAPI does not define
    assert "must not be null" in refused(statement(result=None))
    assert "has no 'verb'" in refused({"actor": AGENT, "object": BASE["object"]})  # XAPI-00003


def test_statement_id_must_be_a_uuid() -> None:
    assert "UUID" in refused(statement(id="not-a-uuid"))  # XAPI-00027


@pytest.mark.parametrize(
    "actor",
    [
        {"objectType": "Agent"},  # XAPI-00036: exactly one IFI
        {"mbox": "mailto:a@example.com", "openid": "http://openid.example.com/a"},
        {"mbox": "a@example.com"},  # XAPI-00032: mailto IRI
        {"mbox_sha1sum": "xyz"},
        {"account": {"homePage": "http://example.com"}},  # XAPI-00038: homePage and name
        {"account": {"homePage": "not an iri", "name": "a"}},
        {"objectType": "Group"},  # XAPI-00044: an anonymous group lists its members
        {"objectType": "Group", "member": [{"objectType": "Group", "mbox": "mailto:g@example.com"}]},  # XAPI-00042
        {"objectType": "Person", "mbox": "mailto:a@example.com"},
    ],
)
def test_invalid_actors(actor: dict[str, Any]) -> None:
    refused(statement(actor=actor))


def test_valid_actors() -> None:
    for actor in (
        {"account": {"homePage": "http://example.com", "name": "a"}},
        {"objectType": "Group", "mbox": "mailto:g@example.com"},
        {"objectType": "Group", "member": [AGENT]},
    ):
        check_statement(statement(actor=actor), V2)


def test_verb_and_language_maps() -> None:
    assert "IRI" in refused(statement(verb={"id": "attended"}))  # XAPI-00043
    assert "language tag" in refused(statement(verb={"id": BASE["verb"]["id"], "display": {"en_US": "x"}}))


def test_objects() -> None:
    assert "known object type" in refused(statement(object={"objectType": "Thing", "id": "http://e.com"}))
    assert "UUID" in refused(statement(object={"objectType": "StatementRef", "id": "x"}))
    check_statement(statement(object={"objectType": "Agent", "mbox": "mailto:o@example.com"}), V2)
    # XAPI-00046: an agent as object names its objectType.
    refused(statement(object={"mbox": "mailto:o@example.com"}))


@pytest.mark.parametrize("forbidden", ["id", "stored", "version", "authority"])
def test_sub_statement_forbidden_properties(forbidden: str) -> None:
    # XAPI-00058 ff.: a SubStatement has no id, stored, version or authority.
    sub = {"objectType": "SubStatement", **copy.deepcopy(BASE), forbidden: "x"}
    assert repr(forbidden) in refused(statement(object=sub))


def test_sub_statement_cannot_nest() -> None:
    inner = {"objectType": "SubStatement", **copy.deepcopy(BASE)}
    outer = {"objectType": "SubStatement", **copy.deepcopy(BASE), "object": inner}
    assert "inside a SubStatement" in refused(statement(object=outer))  # XAPI-00057


def test_interaction_definitions() -> None:
    def with_definition(definition: dict[str, Any]) -> dict[str, Any]:
        return statement(object={"id": "http://example.com/q1", "definition": definition})

    check_statement(with_definition({"interactionType": "choice", "choices": [{"id": "a"}, {"id": "b"}]}), V2)
    assert "interaction type" in refused(with_definition({"interactionType": "essay"}))  # XAPI-00049
    assert "interaction type" in refused(with_definition({"interactionType": {"x": 1}}))
    assert "'scale'" in refused(with_definition({"interactionType": "choice", "scale": []}))
    assert "repeats" in refused(with_definition({"interactionType": "choice", "choices": [{"id": "a"}, {"id": "a"}]}))
    assert "no interactionType" in refused(with_definition({"choices": [{"id": "a"}]}))
    assert "IRI" in refused(with_definition({"extensions": {"not an iri": 1}}))  # XAPI-00119
    check_statement(with_definition({"extensions": {"http://e.com/x": None}}), V2)  # values may be anything


def test_scores() -> None:
    def with_score(score: dict[str, Any]) -> dict[str, Any]:
        return statement(result={"score": score})

    check_statement(with_score({"scaled": 0.5, "raw": 5, "min": 0, "max": 10}), V2)
    assert "between -1 and 1" in refused(with_score({"scaled": 1.5}))  # XAPI-00069
    assert "between min and max" in refused(with_score({"raw": 11, "min": 0, "max": 10}))  # XAPI-00070
    assert "min" in refused(with_score({"min": 10, "max": 0}))  # XAPI-00073
    assert "number" in refused(with_score({"raw": "5"}))


def test_result_properties() -> None:
    assert "true or false" in refused(statement(result={"success": "yes"}))
    assert "duration" in refused(statement(result={"duration": "P4W1D"}))  # XAPI-00124


def test_context_rules() -> None:
    ref = {"objectType": "StatementRef", "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"}
    # XAPI-00092/00093: revision and platform only with an Activity object.
    assert "only allowed" in refused(statement(object=ref, context={"revision": "1"}))
    assert "only allowed" in refused(statement(object=ref, context={"platform": "web"}))
    assert "UUID" in refused(statement(context={"registration": "x"}))
    assert "Group" in refused(statement(context={"team": AGENT}))
    assert "language tag" in refused(statement(context={"language": "english please"}))
    check_statement(statement(context={"contextActivities": {"parent": {"id": "http://e.com/p"}}}), V2)
    assert "'foo'" in refused(statement(context={"contextActivities": {"foo": []}}))


def test_context_agents_are_2_0_only() -> None:
    context = {"contextAgents": [{"objectType": "contextAgent", "agent": AGENT, "relevantTypes": ["http://e.com/t"]}]}
    check_statement(statement(context=context), V2)
    assert "'contextAgents'" in refused(statement(context=context), V1)
    bad = {"contextGroups": [{"objectType": "contextGroup", "group": AGENT}]}
    assert "Group" in refused(statement(context=bad))


def test_timestamps_and_versions() -> None:
    assert "timestamp" in refused(statement(timestamp="2013-05-18T05:32:34.804-00:00"))  # XAPI-00122
    for accepted in ("1.0", "1.0.9"):  # XAPI-00101
        check_statement(statement(version=accepted), V1)
    check_statement(statement(version="2.0.0"), V2)
    for version, value in ((V1, "2.0.0"), (V1, "1.1.0"), (V2, "0.9.9"), (V2, "x")):
        assert "version" in refused(statement(version=value), version)


def test_authority() -> None:
    oauth = {"objectType": "Group", "member": [AGENT, {"account": {"homePage": "http://e.com", "name": "app"}}]}
    check_statement(statement(authority=oauth), V2)
    identified = oauth | {"mbox": "mailto:g@example.com"}
    assert "anonymous group" in refused(statement(authority=identified))  # XAPI-00100
    assert "anonymous group" in refused(statement(authority=oauth | {"member": [AGENT] * 3}))


def test_voiding_needs_a_statement_ref() -> None:
    voiding = statement(verb={"id": "http://adlnet.gov/expapi/verbs/voided"})
    assert "StatementRef" in refused(voiding)  # XAPI-00019


def test_attachments() -> None:
    attachment = {
        "usageType": "http://e.com/usage",
        "display": {"en-US": "file"},
        "contentType": "text/plain",
        "length": 3,
        "sha2": "a" * 64,
    }
    check_statement(statement(attachments=[attachment]), V2)
    assert "'sha2'" in refused(statement(attachments=[{k: v for k, v in attachment.items() if k != "sha2"}]))
    assert "SHA-2" in refused(statement(attachments=[attachment | {"sha2": "xyz"}]))
    assert "non-negative" in refused(statement(attachments=[attachment | {"length": -1}]))
    assert "media type" in refused(statement(attachments=[attachment | {"contentType": "plain"}]))
    assert "IRI" in refused(statement(attachments=[attachment | {"fileUrl": "no"}]))
