"""The ``coursehost`` command."""

from __future__ import annotations

import json
import os
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from coursehost.auth.service import create_application, list_applications, rotate_secret
from coursehost.config import Settings, get_settings
from coursehost.kit.db import Database
from coursehost.kit.migrate import upgrade

app = typer.Typer(help="coursehost: a self-hostable SCORM Cloud v2 compatible course service.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
apps_app = typer.Typer(help="Applications (API credentials).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(apps_app, name="apps")
console = Console()


def _settings() -> Settings:
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings


def _database() -> Database:
    """The database, migrated: every command works on a fresh data directory."""
    url = _settings().resolved_database_url
    upgrade(url)
    return Database(url)


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply database migrations."""
    upgrade(_settings().resolved_database_url, revision)
    console.print(f"Database is at revision {revision}.")


@apps_app.command("create")
def apps_create(name: str, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Create an application and print its appId and secret key (shown once)."""
    database = _database()
    with database.session() as session:
        created = create_application(session, name)
    database.dispose()
    if as_json:
        typer.echo(json.dumps({"appId": created.app_id, "secretKey": created.secret_key}))
    else:
        console.print(f"appId:     [bold]{created.app_id}[/]\nsecretKey: [bold]{created.secret_key}[/]")
        console.print("Keep the secret key now: only its hash is stored.")


@apps_app.command("list")
def apps_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List applications."""
    database = _database()
    with database.session() as session:
        rows = [(a.app_id, a.name, a.created.isoformat()) for a in list_applications(session)]
    database.dispose()
    if as_json:
        typer.echo(json.dumps([{"appId": a, "name": n, "created": c} for a, n, c in rows]))
        return
    table = Table("appId", "name", "created")
    for row in rows:
        table.add_row(*row)
    console.print(table)


@apps_app.command("rotate-secret")
def apps_rotate_secret(app_id: str, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Give an application a new secret key (shown once); the old key and every token issued with it stop working."""
    database = _database()
    with database.session() as session:
        rotated = rotate_secret(session, app_id)
    database.dispose()
    if rotated is None:
        console.print(f"[red]No application {app_id!r}.[/]")
        raise typer.Exit(1)
    if as_json:
        typer.echo(json.dumps({"appId": rotated.app_id, "secretKey": rotated.secret_key}))
    else:
        console.print(f"appId:     [bold]{rotated.app_id}[/]\nsecretKey: [bold]{rotated.secret_key}[/]")
        console.print("The old secret key and every token issued with it no longer work.")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Server processes sharing the port (production: with PostgreSQL).")
    ] = None,
) -> None:
    """Migrate the database, create a first application if there is none, and serve the API."""
    import uvicorn

    from coursehost.app import create_app
    from coursehost.kit.serving import uvicorn_options

    # The command line wins over the environment, in a copy: the cached settings stay as they were read.
    given = {"host": host, "port": port, "workers": workers}
    settings = _settings().model_copy(update={k: v for k, v in given.items() if v})
    # Once, here, before any worker process starts: the migration and the first application.
    database = _database()
    with database.session() as session:
        if not list_applications(session):
            created = create_application(session, "default")
            console.print(
                "[bold green]Created a first application.[/] Use these credentials with a SCORM Cloud client:"
            )
            console.print(f"  host:      http://{settings.host}:{settings.port}/api/v2/")
            console.print(f"  appId:     [bold]{created.app_id}[/]\n  secretKey: [bold]{created.secret_key}[/]")
    database.dispose()
    from coursehost.kit.serving import freeze_heap

    if settings.workers == 1:
        application = create_app(settings)
        freeze_heap()
        uvicorn.run(application, host=settings.host, port=settings.port, **uvicorn_options(settings))
        return
    # Several processes: uvicorn starts each from an import string, and each builds its app from the environment,
    # so what the command line said goes there. The generated secret key (when none is set) is written now, before
    # the workers could each write one of their own.
    settings.resolved_secret_key  # noqa: B018
    os.environ.update({f"COURSEHOST_{k.upper()}": str(v) for k, v in given.items() if v and k != "workers"})
    uvicorn.run(
        "coursehost.app:create_served_app",
        factory=True,
        workers=settings.workers,
        host=settings.host,
        port=settings.port,
        **uvicorn_options(settings, workers=True),
    )


@app.command()
def worker() -> None:
    """Run import workers in this process (for deployments that set COURSEHOST_EMBEDDED_WORKERS=false)."""
    from coursehost.cli.worker import run_worker

    run_worker()


@app.command("import")
def import_course(
    course_id: str,
    source: Annotated[str, typer.Argument(metavar="PATH_OR_URL")],
    app_id: Annotated[str | None, typer.Option("--app", help="Application id (default: the only one).")] = None,
    new_version: Annotated[bool, typer.Option("--new-version", help="Allow importing a new version.")] = False,
) -> None:
    """Import a package file or URL as a course, showing progress."""
    from coursehost.cli.importer import run_import

    raise typer.Exit(run_import(course_id, source, app_id, new_version, console))


def main() -> None:
    app()


__all__ = ["app", "main"]
