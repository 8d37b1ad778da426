"""How statements are answered and compared (xapi/statements/shaping.py): xAPI 2.0.0 §4.1.6.1 format, statement
comparison."""

from __future__ import annotations

from typing import Any

from coursehost.xapi.statements.shaping import accept_languages, as_canonical, as_ids, same_statement

STATEMENT: dict[str, Any] = {
    "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
    "actor": {"objectType": "Agent", "name": "Learner", "mbox": "mailto:learner@example.com"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended", "en-GB": "attended"}},
    "object": {
        "objectType": "Activity",
        "id": "http://example.com/a",
        "definition": {"name": {"en-US": "Color", "en-GB": "Colour"}},
    },
    "context": {"contextActivities": {"parent": [{"id": "http://example.com/p", "definition": {"name": {"en": "P"}}}]}},
    "stored": "2024-01-01T00:00:00.000Z",
}


def test_ids_format_keeps_only_identifiers() -> None:
    # XAPI-00171
    shaped = as_ids(STATEMENT)
    assert shaped["actor"] == {"objectType": "Agent", "mbox": "mailto:learner@example.com"}
    assert shaped["verb"] == {"id": STATEMENT["verb"]["id"]}
    assert shaped["object"] == {"id": "http://example.com/a"}
    assert shaped["context"]["contextActivities"]["parent"] == [{"id": "http://example.com/p"}]
    group = {"objectType": "Group", "name": "G", "member": [STATEMENT["actor"]]}
    assert as_ids(STATEMENT | {"actor": group})["actor"]["member"] == [
        {"objectType": "Agent", "mbox": "mailto:learner@example.com"}
    ]


def test_canonical_format_picks_the_preferred_language() -> None:
    # XAPI-00172
    shaped = as_canonical(STATEMENT, accept_languages("fr;q=0.9, en-GB"))
    assert shaped["verb"]["display"] == {"en-GB": "attended"}
    assert shaped["object"]["definition"]["name"] == {"en-GB": "Colour"}
    assert as_canonical(STATEMENT, [])["object"]["definition"]["name"] == {"en-US": "Color"}
    assert STATEMENT["verb"]["display"] == {"en-US": "attended", "en-GB": "attended"}  # the input is untouched


def test_accept_language_orders_by_quality() -> None:
    assert accept_languages("da, en-gb;q=0.8, en;q=0.7") == ["da", "en-gb", "en"]
    assert accept_languages("en;q=0, fr") == ["fr"]
    assert accept_languages(None) == []


def test_statement_comparison_ignores_what_the_lrs_sets() -> None:
    # XAPI-00142: the same statement again is not a conflict.
    received = {k: v for k, v in STATEMENT.items() if k != "stored"}
    received["context"] = {"contextActivities": {"parent": received["context"]["contextActivities"]["parent"][0]}}
    stored = STATEMENT | {"authority": {"mbox": "mailto:lrs@example.com"}, "version": "2.0.0"}
    assert same_statement(stored, received)
    assert not same_statement(stored, received | {"verb": {"id": "http://example.com/other"}})


def test_statement_comparison_of_timestamps_and_durations() -> None:
    stored = STATEMENT | {"timestamp": "2024-01-01T02:00:00.000+02:00", "result": {"duration": "PT1.234S"}}
    assert same_statement(stored, stored | {"timestamp": "2024-01-01T00:00:00Z", "result": {"duration": "PT1.23S"}})
    assert not same_statement(stored, stored | {"timestamp": "2024-01-01T00:00:01Z"})
