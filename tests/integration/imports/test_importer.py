"""The import service's own guarantees (imports/service.py): a submission that fails leaves no file, a worker loads
its job once, and the postback carries exactly the result the job recorded."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from coursehost.app import create_app
from coursehost.auth.service import create_application
from coursehost.config import Settings
from coursehost.context import Context
from coursehost.imports import jobs
from coursehost.imports.checks import Ask
from coursehost.imports.service import Importer
from coursehost.imports.worker import Dispatcher
from coursehost.kit.errors import Conflict
from coursehost.models import Application
from tests.integration.conftest import Api, basic
from tests.support.files import stored_files
from tests.support.httpserver import Route, local_server
from tests.support.packages import ScormPackage

PACKAGE = ScormPackage().to_bytes()


def staged(settings: Settings) -> list[Path]:
    """Uploads and temporary files: everything a submission may have written."""
    return stored_files(settings.data_dir, "incoming", "tmp")


def app_pk(ctx: Context, api: Api) -> int:
    with ctx.db.session() as session:
        return session.scalars(select(Application.pk).where(Application.app_id == api.app_id)).one()


def test_an_upload_that_loses_the_race_after_staging_leaves_no_file(
    api: Api, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two first imports of one id both pass the early check; the one whose job row comes second gets 409 after its
    body was staged, and its staged upload is given back."""
    api.import_course("raced", PACKAGE)
    monkeypatch.setattr(jobs, "precheck", lambda *_args: None)  # as if the other import had not committed yet
    response = api.upload("raced", PACKAGE)
    assert response.status_code == 409
    assert response.json()["message"].startswith("Course [raced] already exists")
    assert staged(settings) == []


def test_an_upload_whose_storage_fails_leaves_no_file(
    api: Api, ctx: Context, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    put_file = ctx.storage.put_file

    def stage_then_fail(key: str, path: Path) -> None:
        put_file(key, path)
        raise OSError("the disk is full")

    monkeypatch.setattr(ctx.storage, "put_file", stage_then_fail)
    with pytest.raises(OSError, match="disk is full"):
        api.upload("full", PACKAGE)
    assert staged(settings) == []
    assert api.request("GET", "/courses/full").status_code == 404


def test_bad_content_metadata_after_the_body_leaves_no_file(api: Api, settings: Settings) -> None:
    response = api.request(
        "POST",
        "/courses/importJobs/upload",
        params={"courseId": "meta"},
        files={"file": ("c.zip", PACKAGE, "application/zip")},
        data={"contentMetadata": "{not json"},
    )
    assert response.status_code == 400
    assert staged(settings) == []


@pytest.mark.parametrize("fails", ["copy", "create"])
def test_a_shell_import_that_fails_leaves_no_file(
    api: Api, ctx: Context, settings: Settings, monkeypatch: pytest.MonkeyPatch, fails: str
) -> None:
    def copy(target: BinaryIO) -> None:
        target.write(PACKAGE[:100])
        if fails == "copy":
            raise OSError("the source went away")

    def refuse(*_args: Any) -> str:
        raise Conflict("lost the race")

    if fails == "create":
        monkeypatch.setattr(jobs, "create", refuse)
    with pytest.raises((OSError, Conflict)):
        Importer(ctx).submit_file(app_pk(ctx, api), Ask("shell"), copy)
    assert staged(settings) == []


@pytest.fixture
def idle(settings: Settings) -> Iterator[tuple[Api, Context]]:
    """A server without import workers: the test runs the jobs itself, on its own thread."""
    with TestClient(create_app(settings.model_copy(update={"import_workers": 0}))) as client:
        ctx: Context = client.app.state.ctx  # type: ignore[attr-defined]
        with ctx.db.session() as session:
            created = create_application(session, "idle")
        yield Api(client, basic(created.app_id, created.secret_key) | {"X-App-Id": created.app_id}), ctx


def full_job_loads(ctx: Context, run: Any) -> int:
    """How many statements read a whole import_jobs row on this thread while ``run`` runs."""
    me = threading.get_ident()
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if threading.get_ident() == me and statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(ctx.db.engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", record)
    return sum(1 for s in seen if "import_jobs.media_metadata" in s)


@pytest.mark.parametrize(("package", "status"), [(PACKAGE, "COMPLETE"), (b"not a zip", "ERROR")])
def test_a_worker_loads_its_job_once_and_posts_back_what_the_job_reads(
    idle: tuple[Api, Context], package: bytes, status: str
) -> None:
    api, ctx = idle
    with local_server() as server:
        server.routes["/hook"] = Route(status=204)
        job_id = api.upload("once", package, postbackUrl=server.url("/hook")).json()["result"]
        assert api.request("GET", f"/courses/importJobs/{job_id}").json()["status"] == "RUNNING"
        loads = full_job_loads(ctx, lambda: Dispatcher(ctx, threads=0).run_pending())
        assert server.received.wait(10)
    assert loads == 1
    read = api.wait(job_id)
    assert read["status"] == status
    [(path, posted)] = server.posts
    assert path == "/hook"
    assert posted == read
