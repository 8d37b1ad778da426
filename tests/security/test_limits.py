"""Request limits: body size per route (413), query length (414), header size (431), stalled bodies (408)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import anyio
import pytest
from fastapi.testclient import TestClient
from starlette.exceptions import HTTPException
from starlette.types import Message

from coursehost.config import Settings
from coursehost.kit.limits import _LimitedReceive
from tests.integration.conftest import Api
from tests.support.packages import ScormPackage

JSON_CAP = 4096
UPLOAD_CAP = 256 * 1024


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"max_json_bytes": JSON_CAP, "max_upload_bytes": UPLOAD_CAP})


def test_json_body_over_the_cap_is_413(api: Api) -> None:
    big = {"title": "x" * (JSON_CAP + 1)}
    response = api.request("PUT", "/courses/c/title", json=big)
    assert response.status_code == 413
    assert f"limit of {JSON_CAP} bytes" in response.json()["message"]
    assert api.request("PUT", "/courses/c/title", json={"title": "small"}).status_code == 404  # not refused for size


def test_streamed_body_without_length_is_counted(api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"title": "'
        for _ in range(10):
            yield b"x" * 1024
        yield b'"}'

    response = api.request("PUT", "/courses/c/title", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_uploads_take_the_import_cap_not_the_json_cap(api: Api) -> None:
    package = ScormPackage(extra_files={"padding.bin": os.urandom(20_000)}).to_bytes()  # incompressible
    assert JSON_CAP < len(package) < UPLOAD_CAP
    api.import_course("big-enough", package)
    too_big = api.upload("too-big", b"\0" * (UPLOAD_CAP + 4 * 1024 * 1024))
    assert too_big.status_code == 413


def test_long_query_is_414(api: Api) -> None:
    response = api.request("GET", "/courses", params={"tags": "t," * 5000})
    assert response.status_code == 414
    assert api.request("GET", "/courses", params={"tags": "t," * 100}).status_code == 200


def test_large_or_many_headers_are_431(api: Api) -> None:
    assert api.request("GET", "/courses", headers={"X-Big": "x" * 20_000}).status_code == 431
    many = {f"X-H{i}": "1" for i in range(120)}
    assert api.request("GET", "/courses", headers=many).status_code == 431


def test_stalled_body_is_408() -> None:
    async def never() -> Message:
        await anyio.sleep_forever()
        raise AssertionError

    async def scenario() -> None:
        receive = _LimitedReceive(never, cap=100, message="too big", timeout=0.2)
        with pytest.raises(HTTPException) as info:
            await receive()
        assert info.value.status_code == 408

    anyio.run(scenario)


def test_receive_after_the_body_waits_without_a_timeout() -> None:
    """Once the body is in, receive() waits for a disconnect, which takes as long as a (download) response."""
    messages: list[Message] = [{"type": "http.request", "body": b"{}", "more_body": False}]

    async def source() -> Message:
        if messages:
            return messages.pop()
        await anyio.sleep(0.5)
        return {"type": "http.disconnect"}

    async def scenario() -> None:
        receive = _LimitedReceive(source, cap=100, message="too big", timeout=0.1)
        assert (await receive())["type"] == "http.request"
        assert (await receive())["type"] == "http.disconnect"

    anyio.run(scenario)


def test_limits_answer_with_the_wire_error_body(client: TestClient, api: Api) -> None:
    response = api.request("GET", "/courses", params={"tags": "t," * 5000})
    body = response.json()
    assert body["message"] == body["error"]
    assert response.headers["x-content-type-options"] == "nosniff"
