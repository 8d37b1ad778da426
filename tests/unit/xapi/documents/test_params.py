"""The document resources' query parameters and the agent parameter (xapi/documents/params.py, agent_param.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from starlette.datastructures import QueryParams

from coursehost.kit.errors import BadRequest
from coursehost.xapi.documents.agent_param import parse_agent
from coursehost.xapi.documents.params import DOCUMENT_ID_MAX, Query, parse_timestamp


@pytest.mark.parametrize(
    "raw",
    [
        '{"mbox": "mailto:a@example.com"}',
        '{"objectType": "Agent", "name": "A", "mbox_sha1sum": "ABCDEFabcdef0123456789abcdef0123456789ab"}',
        '{"openid": "https://openid.example.com/a"}',
        '{"account": {"homePage": "http://example.com", "name": "a"}}',
        '{"objectType": "Group", "mbox": "mailto:g@example.com", "member": [{"mbox": "mailto:a@example.com"}]}',
    ],
)
def test_agents_with_one_well_formed_identifier_are_accepted(raw: str) -> None:
    assert parse_agent(raw)


def test_groups_are_refused_where_only_agents_may_be() -> None:
    with pytest.raises(BadRequest, match="objectType"):
        parse_agent('{"objectType": "Group", "mbox": "mailto:g@example.com"}', allow_group=False)


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("{", "not JSON"),
        ("[]", "JSON object"),
        ('{"name": "A"}', "none"),
        ('{"mbox": "mailto:a@example.com", "account": {"homePage": "http://e.com", "name": "a"}}', "mbox, account"),
        ('{"mbox": "mailto:"}', "mailto"),
        ('{"mbox_sha1sum": "zz"}', "40 hexadecimal"),
        ('{"openid": "relative/path"}', "absolute IRI"),
        ('{"account": {"homePage": "http://e.com", "name": ""}}', "non-empty"),
        ('{"account": {"homePage": "http://e.com", "name": "a", "x": 1}}', "exactly homePage and name"),
        ('{"mbox": "mailto:a@example.com", "name": 5}', "name"),
        ('{"objectType": "Group", "mbox": "mailto:g@example.com", "member": {}}', "array"),
        ('{"account": {"homePage": "http://e.com", "name": "\\ud800"}}', "surrogate"),
    ],
)
def test_agents_that_name_no_single_owner_are_refused_saying_why(raw: str, why: str) -> None:
    with pytest.raises(BadRequest, match=why):
        parse_agent(raw)


def test_query_parameters_are_given_once_without_nul_and_within_their_caps() -> None:
    with pytest.raises(BadRequest, match="more than once"):
        Query(QueryParams("stateId=a&stateId=b"))
    with pytest.raises(BadRequest, match="NUL"):
        Query({"stateId": "a\x00"})
    with pytest.raises(BadRequest, match="1 to"):
        Query({"stateId": "x" * (DOCUMENT_ID_MAX + 1)}).document_id("stateId")
    with pytest.raises(BadRequest, match="IRI"):
        Query({"activityId": "not an iri"}).activity_id()
    with pytest.raises(BadRequest, match="required"):
        Query({"activityId": ""}).activity_id()
    assert Query({"registration": "9B3A8C5E-2F7D-4C1A-9E6B-0D2F4A6C8E10"}).registration() == (
        "9b3a8c5e-2f7d-4c1a-9e6b-0d2f4a6c8e10"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01T10:00:00Z", datetime(2024, 5, 1, 10, tzinfo=UTC)),
        ("2024-05-01T12:00:00.250+02:00", datetime(2024, 5, 1, 10, 0, 0, 250000, tzinfo=UTC)),
        ("2024-05-01T12:00:00 02:00", datetime(2024, 5, 1, 10, tzinfo=UTC)),  # an unescaped '+' read as a space
        ("2024-05-01 10:00:00", datetime(2024, 5, 1, 10, tzinfo=UTC)),  # no zone: UTC
    ],
)
def test_timestamps(text: str, expected: datetime) -> None:
    assert parse_timestamp(text, "since") == expected


@pytest.mark.parametrize("text", ["true", "yesterday", "2024-13-01T00:00:00Z", ""])
def test_what_is_not_a_timestamp_is_refused(text: str) -> None:
    with pytest.raises(BadRequest, match="since"):
        parse_timestamp(text, "since")
