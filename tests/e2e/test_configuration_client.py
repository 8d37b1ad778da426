"""The configuration operations driven through the official client: CourseApi and ApplicationManagementApi.

The file uses the package's shared server (see conftest.py) with an application of its own, so application-level
values set here cannot leak into other tests' courses.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rustici_software_cloud_v2 as sc

from tests.e2e.conftest import (
    Credentials,
    Server,
    Store,
    close_api,
    create_app_with_cli,
    error_message,
    expect_api_error,
    import_course,
    make_api,
    unique_id,
)
from tests.support.packages import ScormPackage

OPERATION_IDS = {
    "getCourseConfiguration",
    "setCourseConfiguration",
    "deleteCourseConfigurationSetting",
    "getCourseVersionConfiguration",
    "setCourseVersionConfiguration",
    "deleteCourseVersionConfigurationSetting",
    "getApplicationConfiguration",
    "setApplicationConfiguration",
    "deleteApplicationConfigurationSetting",
}


@pytest.fixture(scope="module")
def settings_creds(store: Store, server: Server) -> Credentials:
    return create_app_with_cli(store, "e2e-settings")


@pytest.fixture(scope="module")
def courses(server: Server, settings_creds: Credentials) -> Iterator[sc.CourseApi]:
    client = make_api(server, settings_creds.app_id, settings_creds.secret_key)
    yield client
    close_api(client)


@pytest.fixture(scope="module")
def app_management(courses: sc.CourseApi) -> sc.ApplicationManagementApi:
    return sc.ApplicationManagementApi(courses.api_client)


def post_schema(**values: str) -> sc.SettingsPostSchema:
    # The client fills in "explicit": false on every item, which is what real callers send.
    return sc.SettingsPostSchema(
        settings=[sc.SettingsIndividualSchema(setting_id=k, value=v) for k, v in values.items()]
    )


def find(settings: sc.SettingListSchema, setting_id: str) -> sc.SettingItem:
    return next(item for item in settings.setting_items if item.id == setting_id)


def test_the_configuration_operations_are_published(server: Server) -> None:
    spec = httpx.get(f"{server.base_url}/api/v2/openapi.json", timeout=10).json()
    operation_ids = {op.get("operationId") for ops in spec["paths"].values() for op in ops.values()}
    assert operation_ids >= OPERATION_IDS, OPERATION_IDS - operation_ids


def test_course_configuration_round_trip(courses: sc.CourseApi, tmp_path: Path) -> None:
    course_id = unique_id("config")
    import_course(courses, tmp_path, course_id, ScormPackage(title="Configured"))

    assert (
        courses.set_course_configuration(course_id, post_schema(PlayerShowNavBar="Yes", PlayerTimeLimit="30")) is None
    )
    read = courses.get_course_configuration(course_id, include_metadata=True)
    nav = find(read, "PlayerShowNavBar")
    assert (nav.effective_value, nav.effective_value_source, nav.explicit_value) == ("true", "course", "true")
    assert nav.metadata.data_type == "bool"
    assert nav.metadata.level == "Registration"
    assert nav.metadata.default is None  # empty keys are left out; the client reads them as None
    assert nav.metadata.learning_standard_variant == "either"  # the client's own default
    launch = find(read, "PlayerLaunchType").metadata
    assert [v.value for v in launch.valid_values][0] == "FRAMESET"
    assert find(read, "PlayerTimeLimit").effective_value == "30"

    plain = courses.get_course_configuration(course_id)
    assert find(plain, "PlayerShowNavBar").metadata is None
    assert find(plain, "PlayerShowHelp").explicit_value is None

    assert courses.delete_course_configuration_setting(course_id, "PlayerShowNavBar") is None
    nav = find(courses.get_course_configuration(course_id), "PlayerShowNavBar")
    assert (nav.effective_value, nav.effective_value_source, nav.explicit_value) == ("", "default", None)


def test_version_configuration_round_trip(courses: sc.CourseApi, tmp_path: Path) -> None:
    course_id = unique_id("vconfig")
    import_course(courses, tmp_path, course_id, ScormPackage(title="One"))
    import_course(courses, tmp_path, course_id, ScormPackage(title="Two"), may_create_new_version=True)
    courses.set_course_configuration(course_id, post_schema(PlayerSuspendDataMaxLength="4096"))
    courses.set_course_version_configuration(course_id, 1, post_schema(PlayerSuspendDataMaxLength="64000"))

    own = find(courses.get_course_version_configuration(course_id, 1), "PlayerSuspendDataMaxLength")
    assert (own.effective_value, own.effective_value_source, own.explicit_value) == ("64000", "course", "64000")
    inherited = find(courses.get_course_version_configuration(course_id, 0), "PlayerSuspendDataMaxLength")
    assert (inherited.effective_value, inherited.explicit_value) == ("4096", None)

    courses.delete_course_version_configuration_setting(course_id, 1, "PlayerSuspendDataMaxLength")
    back = find(courses.get_course_version_configuration(course_id, 1), "PlayerSuspendDataMaxLength")
    assert (back.effective_value, back.effective_value_source, back.explicit_value) == ("4096", "course", None)


def test_application_levels_are_inherited_by_courses(
    courses: sc.CourseApi, app_management: sc.ApplicationManagementApi, tmp_path: Path
) -> None:
    course_id = unique_id("inherit")
    import_course(courses, tmp_path, course_id, ScormPackage(title="Inherits"))
    app_management.set_application_configuration(post_schema(PlayerShowTitleBar="false"))
    app_management.set_application_configuration(
        post_schema(PlayerShowTitleBar="true"), learning_standard="SCORM12", single_sco=True
    )
    try:
        app_item = find(app_management.get_application_configuration(), "PlayerShowTitleBar")
        assert (app_item.effective_value, app_item.effective_value_source) == ("false", "application")
        standard = app_management.get_application_configuration(
            learning_standard="SCORM12", single_sco=True, include_metadata=True
        )
        assert find(standard, "PlayerShowTitleBar").explicit_value == "true"
        course_item = find(courses.get_course_configuration(course_id), "PlayerShowTitleBar")
        assert (course_item.effective_value, course_item.effective_value_source) == (
            "true",
            "learningStandardForApplication",
        )
    finally:
        app_management.delete_application_configuration_setting(
            "PlayerShowTitleBar", learning_standard="SCORM12", single_sco=True
        )
    course_item = find(courses.get_course_configuration(course_id), "PlayerShowTitleBar")
    assert (course_item.effective_value, course_item.effective_value_source) == ("false", "application")
    app_management.delete_application_configuration_setting("PlayerShowTitleBar")
    assert find(courses.get_course_configuration(course_id), "PlayerShowTitleBar").effective_value_source == "default"


def test_errors_reach_the_client_as_api_exceptions(
    courses: sc.CourseApi, app_management: sc.ApplicationManagementApi, tmp_path: Path
) -> None:
    course_id = unique_id("bad")
    import_course(courses, tmp_path, course_id, ScormPackage(title="Bad"))
    unknown = expect_api_error(400, lambda: courses.set_course_configuration(course_id, post_schema(Nope="1")))
    assert error_message(unknown) == "No configuration setting found with id 'Nope'"
    refused = expect_api_error(
        400,
        lambda: courses.set_course_configuration(course_id, post_schema(PlayerShowHelp="true", PlayerTimeLimit="x")),
    )
    assert "'PlayerTimeLimit'" in error_message(refused)
    assert find(courses.get_course_configuration(course_id), "PlayerShowHelp").explicit_value is None
    expect_api_error(404, lambda: courses.get_course_configuration(unique_id("missing")))
    expect_api_error(404, lambda: courses.get_course_version_configuration(course_id, 5))
    expect_api_error(400, lambda: app_management.get_application_configuration(learning_standard="SCORM12"))
