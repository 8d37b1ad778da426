"""Stored values go with their course or version, 404s for unknown targets, and the migration matches the model."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from coursehost.context import Context
from coursehost.models import Base, ConfigurationSetting
from tests.integration.configuration.helpers import APP, course_path, effective, package, set_ok, stored_rows
from tests.integration.conftest import Api

NAV = "PlayerShowNavBar"


def levels(ctx: Context) -> list[str]:
    with ctx.db.session() as session:
        return sorted(session.scalars(select(ConfigurationSetting.level)))


def test_deleting_a_course_deletes_its_and_its_versions_values(api: Api, ctx: Context) -> None:
    api.import_course("c", package())
    api.import_course("c", package(), mayCreateNewVersion="true")
    set_ok(api, APP, {NAV: "true"})
    set_ok(api, course_path("c"), {NAV: "false", "PlayerTimeLimit": "5"})
    set_ok(api, course_path("c", 0), {NAV: "true"})
    set_ok(api, course_path("c", 1), {NAV: "true"})
    assert levels(ctx) == ["application", "course", "course", "version", "version"]

    assert api.request("DELETE", "/courses/c", json={}).status_code == 204
    assert levels(ctx) == ["application"]
    api.import_course("c", package())
    assert effective(api, course_path("c"), NAV) == ("true", "application", None)


def test_deleting_a_version_deletes_only_its_values(api: Api, ctx: Context) -> None:
    api.import_course("c", package())
    api.import_course("c", package(), mayCreateNewVersion="true")
    set_ok(api, course_path("c"), {NAV: "false"})
    set_ok(api, course_path("c", 0), {NAV: "true"})
    set_ok(api, course_path("c", 1), {"PlayerTimeLimit": "9"})

    assert api.request("DELETE", "/courses/c/versions/0", json={}).status_code == 204
    assert levels(ctx) == ["course", "version"]
    assert effective(api, course_path("c", 1), NAV) == ("false", "course", None)

    assert api.request("DELETE", "/courses/c/versions/1", json={}).status_code == 204  # the last one: course goes too
    assert stored_rows(ctx) == 0


COURSE_OPERATIONS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/configuration", {}),
    ("POST", "/configuration", {"json": {"settings": [{"settingId": NAV, "value": "true"}]}}),
    ("DELETE", f"/configuration/{NAV}", {}),
]


@pytest.mark.parametrize(("method", "suffix", "kwargs"), COURSE_OPERATIONS)
def test_unknown_courses_and_versions_are_404(api: Api, method: str, suffix: str, kwargs: dict[str, Any]) -> None:
    api.import_course("c", package())
    for prefix, message in [
        ("/courses/missing", "Could not find course [missing]"),
        ("/courses/c/versions/7", "Could not find version 7 of course [c]"),
    ]:
        response = api.request(method, prefix + suffix, **kwargs)
        assert response.status_code == 404, response.text
        assert response.json()["message"] == message


@pytest.mark.parametrize(("method", "suffix", "kwargs"), COURSE_OPERATIONS)
def test_a_version_id_must_be_a_number(api: Api, method: str, suffix: str, kwargs: dict[str, Any]) -> None:
    api.import_course("c", package())
    response = api.request(method, "/courses/c/versions/latest" + suffix, **kwargs)
    assert response.status_code == 400
    assert "versionId" in response.json()["message"]


def test_course_ids_with_slashes_work(api: Api) -> None:
    api.import_course("a/b c", package())
    set_ok(api, "/courses/a%2Fb%20c/configuration", {NAV: "false"})
    assert effective(api, "/courses/a%2Fb%20c/versions/0/configuration", NAV) == ("false", "course", None)


def test_the_migration_creates_the_table_the_model_describes(ctx: Context) -> None:
    with ctx.db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    mine = [d for d in diff if "configuration_settings" in repr(d)]
    assert mine == []
