"""Helpers for the configuration tests: read one level's items, post values, and count stored rows."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from coursehost.context import Context
from coursehost.models import ConfigurationSetting
from tests.integration.conftest import Api
from tests.support.packages import Sco, ScormPackage

APP = "/appManagement/configuration"


def course_path(course_id: str, version: int | None = None) -> str:
    base = f"/courses/{course_id}" if version is None else f"/courses/{course_id}/versions/{version}"
    return base + "/configuration"


def post(api: Api, path: str, values: dict[str, Any], **params: Any) -> httpx.Response:
    body = {"settings": [{"settingId": k, "value": v, "explicit": False} for k, v in values.items()]}
    return api.request("POST", path, json=body, params=params)


def set_ok(api: Api, path: str, values: dict[str, Any], **params: Any) -> None:
    response = post(api, path, values, **params)
    assert response.status_code == 204, response.text
    assert response.content == b""


def items(api: Api, path: str, **params: Any) -> dict[str, dict[str, Any]]:
    response = api.request("GET", path, params=params)
    assert response.status_code == 200, response.text
    return {item["id"]: item for item in response.json()["settingItems"]}


def item(api: Api, path: str, setting_id: str, **params: Any) -> dict[str, Any]:
    return items(api, path, **params)[setting_id]


def effective(api: Api, path: str, setting_id: str, **params: Any) -> tuple[str, str, str | None]:
    found = item(api, path, setting_id, **params)
    return found["effectiveValue"], found["effectiveValueSource"], found.get("explicitValue")


def package(title: str = "Course", version: str = "1.2", scos: int = 1) -> bytes:
    return ScormPackage(
        title=title, version=version, scos=[Sco(f"i{n}", f"Lesson {n}", f"s{n}.html") for n in range(scos)]
    ).to_bytes()


def stored_rows(ctx: Context) -> int:
    with ctx.db.session() as session:
        return session.scalar(select(func.count()).select_from(ConfigurationSetting)) or 0
