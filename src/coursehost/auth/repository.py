"""All SQL about applications."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from coursehost.models import Application


def insert(session: Session, app_id: str, name: str, secret_hash: str) -> None:
    session.add(Application(app_id=app_id, name=name, secret_hash=secret_hash))
    session.flush()


def all_applications(session: Session) -> list[Application]:
    return list(session.scalars(select(Application).order_by(Application.created, Application.pk)))


def by_app_id(session: Session, app_id: str) -> Application | None:
    return session.scalar(select(Application).where(Application.app_id == app_id))


def set_secret_hash(session: Session, app: Application, secret_hash: str) -> None:
    app.secret_hash = secret_hash
    session.flush()
