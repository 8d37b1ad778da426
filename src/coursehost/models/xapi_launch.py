"""Launches of content that reports to the LRS (cmi5 AUs, Tin Can activities) from a player session.

Each row is one launch: the credential it reports with (a key and a hashed secret, issued at once for a Tin Can
launch, on the first POST to the fetch URL for a cmi5 AU) and, for cmi5, the AU session's state that the
statement rules need. A launch lives and dies with its player session (``ON DELETE CASCADE``), so its credential
cannot outlive the preview.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coursehost.models.base import Base, utcnow


class XapiLaunchToken(Base):
    __tablename__ = "xapi_launch_tokens"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("applications.pk", ondelete="CASCADE"))
    session_id: Mapped[str] = mapped_column(ForeignKey("player_sessions.id", ondelete="CASCADE"), index=True)
    # The plan node launched.
    node: Mapped[int] = mapped_column(Integer)
    # cmi5: the AU session id (a UUID); NULL for a Tin Can launch.
    au_session: Mapped[str | None] = mapped_column(String(36), nullable=True)
    activity_id: Mapped[str] = mapped_column(Text)
    registration: Mapped[str] = mapped_column(String(36))
    actor: Mapped[dict[str, Any]] = mapped_column(JSON)
    # SHA-256 (hex) of the fetch URL's secret part; NULL once fetched or for Tin Can.
    fetch_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    # The Basic user name and the SHA-256 of the password, once a credential was issued.
    key: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    secret_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # cmi5: the AU session's state (xapi/cmi5/rules.py), updated as its statements arrive.
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    created: Mapped[datetime] = mapped_column(default=utcnow)
