"""What the caches of every process learn from (kit/invalidation.py): one row per change a cache may hold."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from coursehost.models.base import Base, utcnow


class CacheEvent(Base):
    __tablename__ = "cache_events"

    # BigInteger on PostgreSQL, the rowid alias on SQLite (AUTOINCREMENT is not needed: ids are never reused while
    # rows newer than them exist, and pruning keeps the newest).
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(400))
    created: Mapped[datetime] = mapped_column(default=utcnow, index=True)
