"""``coursehost import``: the same pipeline as the API, driven from the shell with a progress display."""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn
from sqlalchemy import select

from coursehost.app import build_context
from coursehost.auth.service import list_applications
from coursehost.config import get_settings
from coursehost.context import Context
from coursehost.imports import service
from coursehost.imports.pipeline import incoming_key
from coursehost.imports.schemas import ImportJobResultSchema
from coursehost.kit.db import Database
from coursehost.kit.errors import CoursehostError
from coursehost.kit.migrate import upgrade
from coursehost.models import Application, ImportJob

CHUNK = 1024 * 1024


def _app_pk(db: Database, app_id: str | None) -> int:
    with db.session() as session:
        if app_id:
            pk = session.scalar(select(Application.pk).where(Application.app_id == app_id))
            if pk is None:
                raise CoursehostError(f"No application with appId {app_id}")
            return pk
        apps = list_applications(session)
        if len(apps) != 1:
            raise CoursehostError(f"There are {len(apps)} applications; choose one with --app APP_ID")
        return apps[0].pk


def run_import(course_id: str, source: str, app_id: str | None, new_version: bool, console: Console) -> int:
    # A copy: the cached environment settings stay as they were read.
    settings = get_settings().model_copy(update={"embedded_workers": False})
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)
    ctx = build_context(settings)
    try:
        app_pk = _app_pk(ctx.db, app_id)
        service.validate_course_id(course_id)
        job_id = service.new_job_id()
        is_url = source.startswith(("http://", "https://"))
        with ctx.db.session() as session:
            service.precheck(session, app_pk, course_id, new_version, [])
        if not is_url:
            _copy_with_progress(Path(source), ctx, incoming_key(job_id), console)
        with ctx.db.session() as session:
            service.create_job(
                session, app_pk, course_id, job_id=job_id, may_create_new_version=new_version, postback_url=None,
                tags=[], source_kind="fetch" if is_url else "upload", source=source if is_url else incoming_key(job_id),
                content_type="application/zip", notify=lambda _id: None,
            )  # fmt: skip
        ctx.dispatcher.start(ctx)
        with console.status("Importing..."):
            # A running server's workers may claim the job first; either way, wait until somebody finishes it.
            ctx.dispatcher.run_pending()
            result = _wait_for(ctx, job_id)
    except CoursehostError as exc:
        console.print(f"[red]Error:[/] {exc.message}")
        return 1
    finally:
        ctx.db.dispose()
    if result.status == "COMPLETE" and result.import_result and result.import_result.course:
        course = result.import_result.course
        console.print(f"[green]Imported[/] {course.id!r} version {course.version}: {course.title}")
        for warning in result.import_result.parser_warnings:
            console.print(f"[yellow]warning:[/] {warning}")
        return 0
    console.print(f"[red]Import failed:[/] {result.message}")
    return 1


def _wait_for(ctx: Context, job_id: str, poll: float = 0.2) -> ImportJobResultSchema:
    while True:
        with ctx.db.session() as session:
            job = session.get(ImportJob, job_id)
            assert job is not None
            result = service.job_result(job)
        if result.status != "RUNNING":
            return result
        time.sleep(poll)


def _copy_with_progress(path: Path, ctx: Context, key: str, console: Console) -> None:
    if not path.is_file():
        raise CoursehostError(f"No such file: {path}")
    handle, tmp = ctx.storage.temp_file()
    columns = (TextColumn("Uploading"), BarColumn(), DownloadColumn(), TransferSpeedColumn())
    with Progress(*columns, console=console) as progress, handle, path.open("rb") as src:
        task = progress.add_task("upload", total=path.stat().st_size)
        while chunk := src.read(CHUNK):
            handle.write(chunk)
            progress.advance(task, len(chunk))
    ctx.storage.put_file(key, tmp)
