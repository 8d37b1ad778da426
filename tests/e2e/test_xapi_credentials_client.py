"""SCORM Cloud's xAPI credential operations driven through the official Python client's ``XapiApi``, unmodified,
against a real server: create, list with paging, get, create-or-update, delete, and isolation between applications.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import rustici_software_cloud_v2 as sc

from tests.e2e.conftest import (
    Credentials,
    Server,
    Store,
    close_api,
    create_app_in_process,
    error_message,
    expect_api_error,
    make_api,
)


def xapi_api(server: Server, creds: Credentials) -> sc.XapiApi:
    return sc.XapiApi(make_api(server, creds.app_id, creds.secret_key).api_client)


@pytest.fixture(scope="module")
def xapi_creds(store: Store, server: Server) -> Credentials:
    return create_app_in_process(store, "e2e-xapi")


@pytest.fixture(scope="module")
def xapi(server: Server, xapi_creds: Credentials) -> Iterator[sc.XapiApi]:
    client = xapi_api(server, xapi_creds)
    yield client
    close_api(client)


def post(name: str, secret: str = "", level: str = "DEFAULT", enabled: bool = True) -> sc.XapiCredentialPostSchema:
    return sc.XapiCredentialPostSchema(
        name=name,
        secret=secret,
        is_enabled=enabled,
        auth=sc.XapiCredentialAuthTypeSchema("BASICAUTH"),
        permissions_level=sc.XapiCredentialPermissionsLevelSchema(level),
    )


def level(credential: sc.XapiCredentialSchema) -> str:
    value: str = credential.permissions_level.xapi_credential_permissions_level
    return value


def test_create_get_update_delete(xapi: sc.XapiApi, xapi_creds: Credentials) -> None:
    created = xapi.create_xapi_credential(post("Reporting", secret="reporting-secret", level="READONLY"))
    assert isinstance(created, sc.StringResultSchema)
    credential_id = created.result
    assert credential_id
    assert credential_id != xapi_creds.app_id

    got = xapi.get_xapi_credential(credential_id)
    assert got.id == credential_id
    assert got.name == "Reporting"
    assert got.secret == "reporting-secret"
    assert got.is_enabled is True
    assert got.auth.xapi_credential_auth_type == "BASICAUTH"
    assert level(got) == "READONLY"

    # setXapiCredential on an existing id updates it (the client sends XapiCredentialPostSchema).
    xapi.set_xapi_credential(credential_id, post("Reporting v2", secret="rotated", level="WRITEONLY", enabled=False))
    updated = xapi.get_xapi_credential(credential_id)
    assert (updated.name, updated.secret, updated.is_enabled, level(updated)) == (
        "Reporting v2",
        "rotated",
        False,
        "WRITEONLY",
    )

    xapi.delete_xapi_credential(credential_id)
    missing = expect_api_error(404, lambda: xapi.get_xapi_credential(credential_id))
    assert credential_id in error_message(missing)
    expect_api_error(404, lambda: xapi.delete_xapi_credential(credential_id))


def test_set_creates_a_credential_with_the_chosen_id_and_a_generated_secret(xapi: sc.XapiApi) -> None:
    xapi.set_xapi_credential("lms/main", post("LMS", level="ROOT"))
    got = xapi.get_xapi_credential("lms/main")
    assert got.id == "lms/main"
    assert len(got.secret) >= 24
    assert level(got) == "ROOT"


def test_refusals_are_400_with_a_message(xapi: sc.XapiApi, xapi_creds: Credentials) -> None:
    oauth = post("OAuth")
    oauth.auth = sc.XapiCredentialAuthTypeSchema("OAUTH")
    assert "OAUTH" in error_message(expect_api_error(400, lambda: xapi.create_xapi_credential(oauth)))
    own = expect_api_error(400, lambda: xapi.set_xapi_credential(xapi_creds.app_id, post("ROOT twin")))
    assert "application's id" in error_message(own)
    expect_api_error(400, lambda: xapi.set_xapi_credential("a:b", post("colon")))


def test_list_pages_through_every_credential(server: Server, store: Store) -> None:
    creds = create_app_in_process(store, "e2e-xapi-paging")
    client = xapi_api(server, creds)
    try:
        made = [client.create_xapi_credential(post(f"cred {i}")).result for i in range(4)]
        seen: list[str] = []
        page = client.get_xapi_credentials(order_by="created_asc", include_total_count=True)
        while True:
            assert isinstance(page, sc.XapiCredentialsListSchema)
            seen += [credential.id for credential in page.xapi_credentials]
            if not page.more:
                break
            page = client.get_xapi_credentials(more=page.more)
        assert seen == made
        found = client.get_xapi_credentials(filter="cred 2", filter_by="credential_name")
        assert [c.name for c in found.xapi_credentials] == ["cred 2"]
    finally:
        close_api(client)


def test_another_applications_credentials_are_invisible(server: Server, store: Store, xapi: sc.XapiApi) -> None:
    mine = xapi.create_xapi_credential(post("mine", secret="mine-secret")).result
    other_creds = create_app_in_process(store, "e2e-xapi-other")
    other = xapi_api(server, other_creds)
    try:
        expect_api_error(404, lambda: other.get_xapi_credential(mine))
        expect_api_error(404, lambda: other.delete_xapi_credential(mine))
        assert mine not in [c.id for c in other.get_xapi_credentials().xapi_credentials]
    finally:
        close_api(other)
    assert xapi.get_xapi_credential(mine).secret == "mine-secret"


def test_the_served_document_lists_the_operations(server: Server) -> None:
    document = httpx.get(f"{server.base_url}/api/v2/openapi.json").json()
    ids = {op["operationId"] for item in document["paths"].values() for op in item.values()}
    assert {
        "createXapiCredential",
        "getXapiCredentials",
        "getXapiCredential",
        "setXapiCredential",
        "deleteXapiCredential",
    } <= ids
