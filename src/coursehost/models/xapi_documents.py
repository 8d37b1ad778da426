"""The LRS's documents: state (activity, agent, optional registration), activity profiles and agent profiles.

``scope`` names the document's owner in one non-NULL string (a SHA-256 of the activity id, the agent's key and the
registration that apply to its kind), so the unique constraint holds where nullable columns alone would not (NULLs
are distinct). The columns beside it are what GET and DELETE without an id filter on: by ``scope`` when the owner is
named in full, by ``agent_key`` (then ``activity_id``) for the states of an activity and agent in any registration.
The content is kept here, bytes of any type, up to the documents' cap (docs/xapi.md, "Documents").
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coursehost.models.base import Base, utcnow


class XapiDocument(Base):
    __tablename__ = "xapi_documents"
    __table_args__ = (
        UniqueConstraint("app_pk", "kind", "scope", "document_id", name="uq_xapi_documents_scope_id"),
        Index("ix_xapi_documents_scope_updated", "app_pk", "kind", "scope", "updated"),
        Index("ix_xapi_documents_agent_updated", "app_pk", "kind", "agent_key", "updated"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("applications.pk", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # "state", "activity_profile", "agent_profile"
    scope: Mapped[str] = mapped_column(String(64))  # a digest of the owner: see the module's docstring
    activity_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    agent_key: Mapped[str | None] = mapped_column(String(512), nullable=True)
    registration: Mapped[str | None] = mapped_column(String(36), nullable=True)
    document_id: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    etag: Mapped[str] = mapped_column(String(64))  # the SHA-1 of ``content``, hexadecimal, without quotes
    updated: Mapped[datetime] = mapped_column(default=utcnow)
