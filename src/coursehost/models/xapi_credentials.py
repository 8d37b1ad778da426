"""Credentials for an application's LRS (SCORM Cloud's xAPI credentials) and the short-lived ones a launch gets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coursehost.models.base import Base, utcnow


class XapiCredential(Base):
    __tablename__ = "xapi_credentials"
    __table_args__ = (UniqueConstraint("app_pk", "credential_id", name="uq_xapi_credentials_app_id"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("applications.pk", ondelete="CASCADE"), index=True)
    # The key a client sends as the Basic user name; also the id of the credential operations.
    credential_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(Text, default="")
    info: Mapped[str] = mapped_column(Text, default="")
    secret: Mapped[str] = mapped_column(Text)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    auth: Mapped[str] = mapped_column(String(16), default="BASIC")
    permissions_level: Mapped[str] = mapped_column(String(16), default="DEFAULT")
    created: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime] = mapped_column(default=utcnow)
