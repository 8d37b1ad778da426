"""What the failed-authentication limits of every process share (kit/ratelimit.py): recent failures, and the
addresses each application was recently used from."""

from __future__ import annotations

from sqlalchemy import BigInteger, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from coursehost.models.base import Base


class AuthFailure(Base):
    """One failed attempt counted against ``key`` (``addr:<address>`` or ``app:<app id>``, long or unusual keys as a
    digest). ``at`` is wall-clock seconds: rows older than the window are pruned."""

    __tablename__ = "auth_failures"
    __table_args__ = (Index("ix_auth_failures_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    key: Mapped[str] = mapped_column(String(160))
    at: Mapped[float] = mapped_column(Float(precision=53), index=True)


class AuthTrust(Base):
    """An address that authenticated for an application (wall-clock ``seen``), written behind the requests by each
    process's poller: while an application is over its failure budget, these addresses are still heard."""

    __tablename__ = "auth_trust"

    app_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    address: Mapped[str] = mapped_column(String(160), primary_key=True)
    seen: Mapped[float] = mapped_column(Float(precision=53), index=True)
