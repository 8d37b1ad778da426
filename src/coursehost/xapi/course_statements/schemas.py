"""SCORM Cloud's XapiStatementResult and the Xapi* models it holds (reference §2b, wire names as in the official
clients' attribute_map). Unlike xAPI's, a statement's object is one of four keys (objectActivity,
objectAgentGroup, objectStatementReference, objectSubStatement), and ``mbox_sha1sum`` keeps its snake_case name."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from coursehost.kit.schemas import Schema, UtcDatetime

LanguageMap = dict[str, str]


class XapiAccount(Schema):
    home_page: str
    name: str


def _with_object_type(data: Any, default: str) -> Any:
    """``objectType`` is required by the clients; xAPI lets a statement leave it out, meaning ``default``."""
    if isinstance(data, dict) and data.get("objectType") is None:
        return {**data, "objectType": default}
    return data


class XapiAgentGroup(Schema):
    object_type: str
    name: str | None = None
    mbox: str | None = None
    mbox_sha1sum: str | None = Field(None, alias="mbox_sha1sum")
    openid: str | None = None
    account: XapiAccount | None = None
    member: list[XapiAgentGroup] | None = None

    @model_validator(mode="before")
    @classmethod
    def _an_agent_unless_said(cls, data: Any) -> Any:
        return _with_object_type(data, "Agent")


class XapiVerb(Schema):
    id: str
    display: LanguageMap | None = None


class XapiInteractionComponent(Schema):
    id: str
    description: LanguageMap | None = None


class XapiActivityDefinition(Schema):
    name: LanguageMap | None = None
    description: LanguageMap | None = None
    type: str | None = None
    more_info: str | None = None
    interaction_type: str | None = None
    correct_responses_pattern: list[str] | None = None
    choices: list[XapiInteractionComponent] | None = None
    scale: list[XapiInteractionComponent] | None = None
    source: list[XapiInteractionComponent] | None = None
    target: list[XapiInteractionComponent] | None = None
    steps: list[XapiInteractionComponent] | None = None
    extensions: dict[str, Any] | None = None


class XapiActivity(Schema):
    object_type: str = "Activity"
    id: str
    definition: XapiActivityDefinition | None = None


class XapiStatementReference(Schema):
    object_type: str
    id: str

    @model_validator(mode="before")
    @classmethod
    def _a_reference_unless_said(cls, data: Any) -> Any:
        return _with_object_type(data, "StatementRef")


class XapiScore(Schema):
    scaled: float | None = None
    raw: float | None = None
    min: float | None = None
    max: float | None = None


class XapiResult(Schema):
    score: XapiScore | None = None
    success: bool | None = None
    completion: bool | None = None
    response: str | None = None
    duration: str | None = None
    extensions: dict[str, Any] | None = None


class XapiContextActivity(Schema):
    parent: list[XapiActivity] | None = None
    grouping: list[XapiActivity] | None = None
    category: list[XapiActivity] | None = None
    other: list[XapiActivity] | None = None


class XapiContext(Schema):
    registration: str | None = None
    instructor: XapiAgentGroup | None = None
    team: XapiAgentGroup | None = None
    context_activities: XapiContextActivity | None = None
    revision: str | None = None
    platform: str | None = None
    language: str | None = None
    statement: XapiStatementReference | None = None
    extensions: dict[str, Any] | None = None


class XapiAttachment(Schema):
    usage_type: str
    display: LanguageMap
    description: LanguageMap | None = None
    content_type: str
    length: int
    sha2: str
    file_url: str | None = None


class XapiStatement(Schema):
    id: str | None = None
    actor: XapiAgentGroup | None = None
    verb: XapiVerb | None = None
    object_activity: XapiActivity | None = None
    object_agent_group: XapiAgentGroup | None = None
    object_statement_reference: XapiStatementReference | None = None
    object_sub_statement: XapiStatement | None = None
    result: XapiResult | None = None
    context: XapiContext | None = None
    timestamp: UtcDatetime | None = None
    stored: UtcDatetime | None = None
    authority: XapiAgentGroup | None = None
    attachments: list[XapiAttachment] | None = None


class XapiStatementResult(Schema):
    statements: list[XapiStatement]
    more: str | None = None
