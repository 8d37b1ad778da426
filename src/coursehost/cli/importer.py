"""``coursehost import``: the import service the API uses, driven from the shell with a progress display."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn
from sqlalchemy import select

from coursehost.app import build_context
from coursehost.auth.service import list_applications
from coursehost.config import get_settings
from coursehost.imports.checks import Ask
from coursehost.imports.schemas import ImportFetchRequestSchema, ImportJobResultSchema
from coursehost.imports.service import Importer
from coursehost.imports.worker import Dispatcher
from coursehost.kit.db import Database
from coursehost.kit.errors import CoursehostError
from coursehost.kit.migrate import upgrade
from coursehost.models import Application

CHUNK = 1024 * 1024


def run_import(course_id: str, source: str, app_id: str | None, new_version: bool, console: Console) -> int:
    # A copy: the cached environment settings stay as they were read.
    settings = get_settings().model_copy(update={"embedded_workers": False})
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)
    ctx = build_context(settings)
    importer = Importer(ctx)
    try:
        app_pk = _app_pk(ctx.db, app_id)
        ask = Ask(course_id, may_create_new_version=new_version)
        if source.startswith(("http://", "https://")):
            with ctx.db.session() as session:
                job_id = importer.submit_fetch(session, app_pk, ask, ImportFetchRequestSchema(url=source))
        else:
            job_id = importer.submit_file(app_pk, ask, _copy_with_progress(Path(source), console))
        dispatcher = Dispatcher(ctx, threads=0)
        dispatcher.start()
        with console.status("Importing..."):
            # A running server's workers may claim the job first; either way, wait until somebody finishes it.
            dispatcher.run_pending()
            result = _wait_for(importer, app_pk, job_id)
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


def _copy_with_progress(path: Path, console: Console) -> Callable[[BinaryIO], None]:
    def copy(target: BinaryIO) -> None:
        if not path.is_file():
            raise CoursehostError(f"No such file: {path}")
        columns = (TextColumn("Uploading"), BarColumn(), DownloadColumn(), TransferSpeedColumn())
        with Progress(*columns, console=console) as progress, path.open("rb") as src:
            task = progress.add_task("upload", total=path.stat().st_size)
            while chunk := src.read(CHUNK):
                target.write(chunk)
                progress.advance(task, len(chunk))

    return copy


def _wait_for(importer: Importer, app_pk: int, job_id: str, poll: float = 0.2) -> ImportJobResultSchema:
    while True:
        with importer.ctx.db.session() as session:
            result = importer.status(session, app_pk, job_id)
        if result.status != "RUNNING":
            return result
        time.sleep(poll)
