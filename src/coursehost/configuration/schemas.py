"""Configuration wire models, named and shaped as in the official clients."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictBool

from coursehost.kit.schemas import Schema

# SCORM Cloud's enum, whole so generated clients accept every value SCORM Cloud sends; coursehost never reports
# dispatchDestination or dispatch (services it does not serve).
EffectiveValueSource = Literal[
    "default", "application", "learningStandardForApplication", "dispatchDestination", "course", "dispatch",
    "registration",
]  # fmt: skip


class SettingValidValue(Schema):
    value: str
    value_description: str | None = None


class SettingMetadata(Schema):
    """Every field is optional on the wire and an empty one is left out, as Engine does."""

    default: str | None = None
    data_type: str | None = None
    setting_description: str | None = None
    level: str | None = None
    learning_standards: list[str] | None = None
    # Left out, as Engine leaves it out: every setting applies to single- and multi-SCO packages alike ("either",
    # which the official clients fill in when it is absent).
    learning_standard_variant: Literal["singleScoOnly", "multiScoOnly", "either"] | None = None
    fallback: str | None = None
    valid_values: list[SettingValidValue] | None = None


class SettingItem(Schema):
    id: str
    effective_value: str
    effective_value_source: EffectiveValueSource
    explicit_value: str | None = None
    metadata: SettingMetadata | None = None


class SettingListSchema(Schema):
    setting_items: list[SettingItem]


class SettingsIndividualSchema(Schema):
    setting_id: str
    # Values are strings on the wire, but some clients send JSON numbers or booleans; they are read back as strings.
    value: StrictBool | int | float | str
    # The official client always sends false; coursehost stores every value it is given either way.
    explicit: bool = False


class SettingsPostSchema(Schema):
    settings: list[SettingsIndividualSchema] = Field(default_factory=list)
