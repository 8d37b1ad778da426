"""All SQL about stored configuration values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from coursehost.models import ConfigurationSetting

ScopeLevel = Literal["application", "learning_standard", "course", "version"]


@dataclass(frozen=True)
class Scope:
    """One place values are stored. ``key`` is never NULL, so a unique constraint over it really is unique
    (NULLs are distinct in SQL unique constraints)."""

    level: ScopeLevel
    learning_standard: str | None = None
    single_sco: bool | None = None
    course_pk: int | None = None
    version_pk: int | None = None

    @property
    def key(self) -> str:
        if self.level == "learning_standard":
            return f"ls:{self.learning_standard}:{'single' if self.single_sco else 'multi'}"
        if self.level == "course":
            return f"course:{self.course_pk}"
        if self.level == "version":
            return f"version:{self.version_pk}"
        return "app"


APPLICATION = Scope("application")


def values(session: Session, app_pk: int, scopes: Sequence[Scope]) -> dict[str, dict[str, str]]:
    """Every stored value of ``scopes``, by scope key then setting id."""
    keys = [scope.key for scope in scopes]
    found: dict[str, dict[str, str]] = {key: {} for key in keys}
    stmt = select(ConfigurationSetting.scope_key, ConfigurationSetting.setting_id, ConfigurationSetting.value).where(
        ConfigurationSetting.app_pk == app_pk, ConfigurationSetting.scope_key.in_(keys)
    )
    for key, setting_id, value in session.execute(stmt):
        found[key][setting_id] = value
    return found


def store(session: Session, app_pk: int, scope: Scope, settings: Mapping[str, str], now: datetime) -> None:
    """Insert or replace each value in one statement; the upsert keeps concurrent writers from colliding."""
    if not settings:
        return
    rows = [
        {
            "app_pk": app_pk,
            "scope_key": scope.key,
            "level": scope.level,
            "learning_standard": scope.learning_standard,
            "single_sco": scope.single_sco,
            "course_pk": scope.course_pk,
            "version_pk": scope.version_pk,
            "setting_id": setting_id,
            "value": value,
            "updated": now,
        }
        for setting_id, value in settings.items()
    ]
    insert: Any = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(ConfigurationSetting).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=["app_pk", "scope_key", "setting_id"],
        set_={"value": stmt.excluded.value, "updated": stmt.excluded.updated},
    )
    session.execute(stmt)


def remove(session: Session, app_pk: int, scope: Scope, setting_id: str) -> None:
    session.execute(
        delete(ConfigurationSetting).where(
            ConfigurationSetting.app_pk == app_pk,
            ConfigurationSetting.scope_key == scope.key,
            ConfigurationSetting.setting_id == setting_id,
        )
    )
