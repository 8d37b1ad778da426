"""Staged uploads that no import job will read are swept (imports/leftovers.py), and nothing a live job needs is."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from coursehost.app import create_app
from coursehost.config import Settings
from coursehost.context import Context
from coursehost.imports.jobs import incoming_key
from coursehost.imports.leftovers import LeftoverSweeper
from coursehost.models import Application, ImportJob, utcnow


@pytest.fixture
def idle(settings: Settings) -> Iterator[Context]:
    """An application with no import workers, so the jobs a test writes stay as it wrote them."""
    with TestClient(create_app(settings.model_copy(update={"import_workers": 0}))) as client:
        yield client.app.state.ctx  # type: ignore[attr-defined]


def stage(ctx: Context, key: str, size: int = 100) -> str:
    handle, path = ctx.storage.temp_file()
    with handle:
        handle.write(b"z" * size)
    ctx.storage.put_file(key, path)
    return key


def add_job(ctx: Context, job_id: str, state: str, source: str) -> None:
    with ctx.db.session() as session:
        app = Application(app_id=uuid.uuid4().hex[:16], name="t", secret_hash="x")
        session.add(app)
        session.flush()
        session.add(
            ImportJob(
                id=job_id, app_pk=app.pk, course_id="c", state=state, source_kind="upload", source=source, tags=[],
                finished=utcnow() if state in ("complete", "error") else None,
            )
        )  # fmt: skip


def test_staged_uploads_of_finished_and_missing_jobs_go_live_ones_stay(idle: Context) -> None:
    queued = stage(idle, incoming_key("queued-job"))
    running = stage(idle, "incoming/renamed")  # found through the job's source, whatever its name
    done = stage(idle, incoming_key("done-job"))
    failed = stage(idle, incoming_key("failed-job"))
    orphan = stage(idle, incoming_key(str(uuid.uuid4())))
    add_job(idle, "queued-job", "queued", queued)
    add_job(idle, "running-job", "running", running)
    add_job(idle, "done-job", "complete", done)
    add_job(idle, "failed-job", "error", failed)
    sweeper = LeftoverSweeper(idle)
    # First look: the finished jobs' uploads go at once; the orphan might be an upload whose job is committing.
    assert sweeper.sweep() == 200
    assert {key for key, _ in idle.storage.list("incoming/")} == {queued, running, orphan}
    # Second look: still nobody's, so it goes; the live jobs' uploads never do.
    assert sweeper.sweep() == 100
    assert {key for key, _ in idle.storage.list("incoming/")} == {queued, running}
    assert sweeper.sweep() == 0


def test_an_upload_whose_job_commits_between_two_looks_is_kept(idle: Context) -> None:
    key = stage(idle, incoming_key("late-job"))
    sweeper = LeftoverSweeper(idle)
    assert sweeper.sweep() == 0
    add_job(idle, "late-job", "queued", key)
    assert sweeper.sweep() == 0
    assert idle.storage.size(key) == 100
