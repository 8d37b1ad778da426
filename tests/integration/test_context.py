"""The request's session (``context.SessionDep``): its writes are committed before the answer starts to go out,
nothing is committed when the handler (or the answer's serialisation) fails after writing, and the auth dependency
and the handler share the one session."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

import anyio
import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import create_engine, event, select
from sqlalchemy.orm import Session, SessionTransaction
from starlette.types import ASGIApp

from coursehost.app import create_app
from coursehost.assets import endpoints as asset_endpoints
from coursehost.auth.dependencies import AppDep
from coursehost.config import Settings
from coursehost.context import Context, SessionDep
from coursehost.courses import service as courses
from coursehost.kit.errors import BadRequest
from coursehost.models import ConfigurationSetting, Course, CourseTag
from tests.integration.conftest import Api
from tests.integration.player.helpers import launch, link
from tests.support.packages import ScormPackage

COURSE = "committed"
Snapshot = dict[str, Any]


@pytest.fixture
def course(api: Api) -> str:
    api.import_course(COURSE, ScormPackage(title="Before").to_bytes())
    return COURSE


@pytest.fixture
def observe(database_url: str) -> Iterator[Callable[[], Snapshot]]:
    """What another connection sees of the course: its title, tags and stored configuration values."""
    engine = create_engine(database_url)

    def snapshot() -> Snapshot:
        with Session(engine) as other:
            return {
                "title": other.scalar(select(Course.title).where(Course.course_id == COURSE)),
                "tags": sorted(other.scalars(select(CourseTag.tag))),
                "settings": {row.setting_id: row.value for row in other.scalars(select(ConfigurationSetting))},
            }

    yield snapshot
    engine.dispose()


def call_asgi(
    app: ASGIApp,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes | list[bytes],
    at_start: Callable[[], None],
    at_receive: Callable[[], int] | None = None,
    received: list[int] | None = None,
) -> int:
    """One request straight through the ASGI interface; ``at_start`` runs (blocking the loop, so nothing else of
    this request can happen meanwhile) when the app sends ``http.response.start``; ``at_receive``'s answer is added
    to ``received`` each time the app asks for a piece of the body."""
    status: list[int] = []
    failures: list[BaseException] = []
    chunks = list(body) if isinstance(body, list) else [body]
    size = sum(len(chunk) for chunk in chunks)

    async def run() -> None:
        done = anyio.Event()

        async def receive() -> MutableMapping[str, Any]:
            if chunks:
                if at_receive is not None and received is not None:
                    received.append(at_receive())
                chunk = chunks.pop(0)
                return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}
            await done.wait()
            return {"type": "http.disconnect"}

        async def send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
                try:
                    at_start()
                except BaseException as exc:  # reported below, not mistaken for the app's own error
                    failures.append(exc)
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                done.set()

        all_headers = headers | {"host": "testserver", "content-length": str(size)}
        route, _, query = path.partition("?")
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
            "path": route, "raw_path": route.encode(), "query_string": query.encode(), "root_path": "",
            "headers": [(k.lower().encode(), v.encode()) for k, v in all_headers.items()],
            "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
        }  # fmt: skip
        try:
            await app(scope, receive, send)
        except Exception:  # a 500 is sent, then re-raised by Starlette's error middleware
            if not status:
                raise

    anyio.run(run)
    if failures:
        raise failures[0]
    return status[0]


WRITES = [
    pytest.param("PUT", "/title", {"title": "After"}, {"title": "After"}, id="setCourseTitle"),
    pytest.param("PUT", "/tags", {"tags": ["one", "two"]}, {"tags": ["one", "two"]}, id="putCourseTags"),
    pytest.param(
        "POST",
        "/configuration",
        {"settings": [{"settingId": "PlayerShowNavBar", "value": "true"}]},
        {"settings": {"PlayerShowNavBar": "true"}},
        id="setCourseConfiguration",
    ),
]


@pytest.mark.parametrize(("method", "suffix", "body", "expected"), WRITES)
def test_a_write_is_committed_before_the_answer_starts(
    client: TestClient,
    api: Api,
    course: str,
    observe: Callable[[], Snapshot],
    method: str,
    suffix: str,
    body: Any,
    expected: Snapshot,
) -> None:
    before = observe()
    assert any(before[key] != value for key, value in expected.items())  # the check below is not vacuous
    seen: list[Snapshot] = []
    headers = api.headers | {"content-type": "application/json"}
    path = f"/api/v2/courses{suffix}" if suffix.startswith("/importJobs/") else f"/api/v2/courses/{course}{suffix}"
    status = call_asgi(client.app, method, path, headers, json.dumps(body).encode(), lambda: seen.append(observe()))
    assert status == 204
    assert {key: seen[0][key] for key in expected} == expected


class Answer(BaseModel):
    count: int


def _failing_routes() -> APIRouter:
    """Handlers that write through the request's session and then fail: by raising a domain error, by raising
    anything else, or by returning an answer that does not fit its response model."""
    router = APIRouter(prefix="/api/v2/courses/{courseId}/test-fail")

    def write(session: Session, app_pk: int, course_id: str) -> None:
        courses.set_title(session, app_pk, course_id, "Written then undone")
        session.flush()

    @router.put("/domain")
    def domain(session: SessionDep, app: AppDep, courseId: str) -> None:  # noqa: N803
        write(session, app.pk, courseId)
        raise BadRequest("refused after writing")

    @router.put("/crash")
    def crash(session: SessionDep, app: AppDep, courseId: str) -> None:  # noqa: N803
        write(session, app.pk, courseId)
        raise RuntimeError("crashed after writing")

    @router.put("/answer", response_model=Answer)
    def answer(session: SessionDep, app: AppDep, courseId: str) -> Any:  # noqa: N803
        write(session, app.pk, courseId)
        return {"count": "not a number"}

    return router


@pytest.mark.parametrize(("kind", "status"), [("domain", 400), ("crash", 500), ("answer", 500)])
def test_nothing_is_committed_when_the_request_fails_after_writing(
    client: TestClient, api: Api, course: str, observe: Callable[[], Snapshot], kind: str, status: int
) -> None:
    client.app.include_router(_failing_routes())  # type: ignore[attr-defined]
    before = observe()
    seen: list[Snapshot] = []
    path = f"/api/v2/courses/{course}/test-fail/{kind}"
    assert call_asgi(client.app, "PUT", path, api.headers, b"", lambda: seen.append(observe())) == status
    assert seen == [before]
    assert observe() == before


class SessionCounter:
    """Sessions (and database transactions) the requests open, seen through events on the sessionmaker. Import
    workers, sweepers and the cache poller (kit/invalidation.py) run on threads of their own and are left out."""

    def __init__(self, ctx: Context) -> None:
        self.sessions: list[Session] = []  # kept alive, so no id is reused
        self.begins = 0
        self._target = ctx.db.sessions

    def __enter__(self) -> SessionCounter:
        event.listen(self._target, "after_transaction_create", self._created)
        event.listen(self._target, "after_begin", self._began)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self._target, "after_transaction_create", self._created)
        event.remove(self._target, "after_begin", self._began)

    @staticmethod
    def _ours() -> bool:
        return not threading.current_thread().name.startswith(("import-", "leftover-", "cache-invalidation"))

    def _created(self, session: Session, transaction: SessionTransaction) -> None:
        if self._ours() and transaction.parent is None and all(s is not session for s in self.sessions):
            self.sessions.append(session)

    def _began(self, session: Session, transaction: SessionTransaction, connection: object) -> None:
        # A savepoint (the LRS inserts rows in them, so a concurrent writer of the same key is a 409, not a 500) is
        # part of the request's one transaction, not another.
        if self._ours() and not transaction.nested:
            self.begins += 1


def test_auth_and_handler_share_one_session(client: TestClient, api: Api, ctx: Context, course: str) -> None:
    token = client.post(
        "/api/v2/oauth/authenticate/application/token", data={"scope": "read:course"}, headers=api.headers
    ).json()["access_token"]
    # Each credential's first use fills authentication's cache; the calls below but the "not cached" ones hit it.
    assert client.get(f"/api/v2/courses/{course}", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    launch_path = link(api, course)
    base, _page = launch(api, course)
    web = f"/content/courses/{api.app_id}/{course}/0/index.html"
    upload = {"files": {"file": ("extra.txt", b"extra", "text/plain")}, "data": {"destination": "extra.txt"}}
    another_upload = {"files": {"file": ("more.txt", b"more", "text/plain")}, "data": {"destination": "more.txt"}}
    calls: list[tuple[str, Callable[[], Any], int, int]] = [
        # Read outside any session (kit/db.py Database.read), credentials from the cache: no session at all.
        ("getCourse", lambda: api.request("GET", f"/courses/{course}"), 200, 0),
        ("getCourses", lambda: api.request("GET", "/courses"), 200, 0),
        (
            "getCourse, bearer token",
            lambda: client.get(f"/api/v2/courses/{course}", headers={"Authorization": f"Bearer {token}"}),
            200,
            0,
        ),  # fmt: skip
        (
            "getCourse, wrong secret",
            lambda: client.get(f"/api/v2/courses/{course}", auth=(api.app_id, "wrong")),
            401,
            1,
        ),  # fmt: skip
        ("setCourseTitle", lambda: api.request("PUT", f"/courses/{course}/title", json={"title": "T"}), 204, 1),
        ("putCourseTags", lambda: api.request("PUT", f"/courses/{course}/tags", json={"tags": ["t"]}), 204, 1),
        (
            "setCourseConfiguration",
            lambda: api.request(
                "POST",
                f"/courses/{course}/configuration",
                json={"settings": [{"settingId": "PlayerShowNavBar", "value": "true"}]},
            ),
            204,
            1,
        ),  # fmt: skip
        ("getCourseConfiguration", lambda: api.request("GET", f"/courses/{course}/configuration"), 200, 1),
        ("getCourseFileList", lambda: api.request("GET", f"/courses/{course}/asset/list"), 200, 1),
        ("getCourseZip", lambda: api.request("GET", f"/courses/{course}/zip"), 200, 1),
        ("buildCoursePreviewLaunchLink", lambda: api.request("POST", f"/courses/{course}/preview", json={}), 200, 1),
        (
            "getAppToken",
            lambda: client.post(
                "/api/v2/oauth/authenticate/application/token", data={"scope": "read"}, headers=api.headers
            ),
            200,
            1,
        ),  # fmt: skip
        ("content file", lambda: client.get(web), 200, 1),
        ("player launch", lambda: client.get(launch_path, follow_redirects=False), 303, 1),
        ("player page", lambda: client.get(base), 200, 1),
        ("player run-time", lambda: client.post(base + "runtime/1", json={"sequence": 1}), 200, 1),
        # Authenticated from the cache (no transaction), before the body is read; the write once the file is staged.
        ("uploadCourseAssetFile", lambda: api.request("POST", f"/courses/{course}/asset/upload", **upload), 200, 1),
    ]
    # Credentials the cache does not hold are looked up in the request's session, shared with the handler; a route
    # that waits on a transfer, or reads outside any session (getCourse), looks them up in a transaction of its own.
    cold: list[tuple[str, Callable[[], Any], int, int]] = [
        ("getCourse, credentials not cached", lambda: api.request("GET", f"/courses/{course}"), 200, 1),
        (
            "getCourseConfiguration, credentials not cached",
            lambda: api.request("GET", f"/courses/{course}/configuration"),
            200,
            1,
        ),  # fmt: skip
        (
            "getCourse, token not cached",
            lambda: client.get(f"/api/v2/courses/{course}", headers={"Authorization": f"Bearer {token}"}),
            200,
            1,
        ),  # fmt: skip
        (
            "uploadCourseAssetFile, credentials not cached",
            lambda: api.request("POST", f"/courses/{course}/asset/upload", **another_upload),
            200,
            2,
        ),  # fmt: skip
    ]
    for name, call, status, sessions in calls + cold:
        if name.endswith("not cached"):
            ctx.credentials.drop(None)
        with SessionCounter(ctx) as counter:
            response = call()
        assert response.status_code == status, (name, response.text)
        assert (name, len(counter.sessions), counter.begins) == (name, sessions, sessions)


@pytest.fixture
def quiet_app(settings: Settings) -> Iterator[FastAPI]:
    """A second app on the same database and files, never started: no worker or sweeper shares its connection
    pool, so the pool's count of connections in use is this test's requests' alone."""
    app = create_app(settings)
    yield app
    app.state.ctx.db.dispose()
    app.state.ctx.storage.close()


TRANSFERS = [
    pytest.param("POST", "/importJobs/upload?courseId=another", id="createUploadAndImportCourseJob"),
    pytest.param("POST", "/asset/upload", id="uploadCourseAssetFile"),
    pytest.param("POST", "/versions/0/asset/upload", id="uploadCourseVersionAssetFile"),
    pytest.param("POST", "/asset", id="importCourseAssetFile"),
    pytest.param("POST", "/versions/0/asset", id="importCourseVersionAssetFile"),
]


@pytest.mark.parametrize(("method", "suffix"), TRANSFERS)
def test_no_connection_is_held_while_a_transfer_runs(
    api: Api, course: str, quiet_app: FastAPI, monkeypatch: pytest.MonkeyPatch, method: str, suffix: str
) -> None:
    """Uploads and fetches wait on the client or another server: authentication is over, and the write not begun,
    while the bytes arrive."""
    pool = quiet_app.state.ctx.db.engine.pool
    in_use: list[int] = []

    def fake_download(url: str, target: Any, limits: Any) -> int:
        in_use.append(pool.checkedout())
        return int(target.write(b"fetched"))

    monkeypatch.setattr(asset_endpoints, "download", fake_download)
    if suffix.split("?")[0].endswith("/upload"):
        package = ScormPackage(extra_files={"media/big.bin": bytes(range(256)) * 256}).to_bytes()
        form: dict[str, Any] = (
            {"files": {"file": ("course.zip", package, "application/zip")}}
            if suffix.startswith("/importJobs/")
            else {"files": {"file": ("extra.txt", b"uploaded" * 4096, "text/plain")}, "data": {"destination": "x.txt"}}
        )
        request = httpx.Request(method, "http://testserver/", **form)
        body = request.read()
        chunks = [body[i : i + 8192] for i in range(0, len(body), 8192)]
        headers = {"content-type": request.headers["content-type"]}
    else:
        body = json.dumps({"fetchUrl": "http://127.0.0.1:9/extra.txt", "destination": "extra.txt"}).encode()
        chunks = [body]
        headers = {"content-type": "application/json"}
    path = f"/api/v2/courses{suffix}" if suffix.startswith("/importJobs/") else f"/api/v2/courses/{course}{suffix}"
    status = call_asgi(quiet_app, method, path, api.headers | headers, chunks, lambda: None, pool.checkedout, in_use)
    assert status == 200, status
    assert len(in_use) >= 1
    assert set(in_use) == {0}
