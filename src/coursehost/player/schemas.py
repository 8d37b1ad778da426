"""Preview wire models as the official clients name and shape them: PreviewLaunchLinkRequestSchema, LaunchLinkSchema."""

from __future__ import annotations

from pydantic import Field

from coursehost.kit.schemas import Schema

DEFAULT_EXPIRY = 120


class ItemValuePairSchema(Schema):
    item: str = Field(max_length=1000)
    value: str = Field(default="", max_length=10000)


class PreviewLaunchLinkRequestSchema(Schema):
    # SCORM Cloud allows 10 to 300 seconds; the official clients always send their default of 120.
    expiry: int = Field(default=DEFAULT_EXPIRY, ge=10, le=300)
    redirect_on_exit_url: str | None = Field(default=None, max_length=2048)
    start_sco: str | None = Field(default=None, max_length=1024)
    culture: str | None = Field(default=None, max_length=64)
    css_url: str | None = Field(default=None, max_length=2048)
    # The one lowercase key of the schema, as every official client spells it.
    additional_values: list[ItemValuePairSchema] | None = Field(default=None, alias="additionalvalues", max_length=100)


class LaunchLinkSchema(Schema):
    launch_link: str


class WaiveRequest(Schema):
    """The player's own waive call (not SCORM Cloud's API): cmi5 §9.5.5.2's reason."""

    reason: str = Field(max_length=64)
