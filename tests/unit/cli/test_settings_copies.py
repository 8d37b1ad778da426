"""The CLI's commands adjust copies of the environment settings, never the cached object every later caller of
``get_settings()`` in the process reads."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from coursehost import cli
from coursehost.config import Settings, get_settings


@pytest.fixture
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    for name in (
        "COURSEHOST_HOST",
        "COURSEHOST_PORT",
        "COURSEHOST_DATABASE_URL",
        "COURSEHOST_EMBEDDED_WORKERS",
        "COURSEHOST_ACCESS_LOG",
        "COURSEHOST_WORKERS",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COURSEHOST_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no developer's .env
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def test_serve_options_do_not_change_the_cached_settings(
    environment: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: dict[str, Any] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **options: served.update(options))
    monkeypatch.setattr("coursehost.kit.serving.freeze_heap", lambda: None)  # not in the test process
    result = CliRunner().invoke(cli.app, ["serve", "--host", "0.0.0.0", "--port", "9999"])
    assert result.exit_code == 0, result.output
    assert (served["host"], served["port"]) == ("0.0.0.0", 9999)
    assert get_settings() is environment
    assert (environment.host, environment.port) == ("127.0.0.1", 8000)


def test_worker_runs_on_a_copy(environment: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Settings] = []

    def build(settings: Settings) -> Any:
        seen.append(settings)
        raise SystemExit(0)

    monkeypatch.setattr(importlib.import_module("coursehost.cli.worker"), "build_context", build)
    monkeypatch.setenv("COURSEHOST_EMBEDDED_WORKERS", "false")
    get_settings.cache_clear()
    cached = get_settings()
    CliRunner().invoke(cli.app, ["worker"])
    assert seen[0].embedded_workers is True
    assert cached.embedded_workers is False


def test_serve_freezes_the_heap_once_the_application_is_built(
    environment: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """gc.freeze after the app is built and before it serves: full collections then skip the startup heap."""
    steps: list[str] = []
    create_app = importlib.import_module("coursehost.app").create_app

    def build(settings: Settings) -> Any:
        steps.append("built")
        return create_app(settings)

    monkeypatch.setattr("coursehost.app.create_app", build)
    monkeypatch.setattr("coursehost.kit.serving.freeze_heap", lambda: steps.append("frozen"))
    monkeypatch.setattr("uvicorn.run", lambda app, **options: steps.append("served"))
    result = CliRunner().invoke(cli.app, ["serve"])
    assert result.exit_code == 0, result.output
    assert steps == ["built", "frozen", "served"]


def test_serve_with_workers_hands_uvicorn_an_import_string_and_the_command_line(
    environment: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each worker process builds its app from the environment (uvicorn starts them from an import string): what the
    command line said goes there, and a generated secret key exists before any of them starts."""
    monkeypatch.setattr(os, "environ", dict(os.environ))  # the command writes its choices there; keep ours clean
    served: dict[str, Any] = {}

    def run(app: Any, **options: Any) -> None:
        served.update(options, app=app)

    monkeypatch.setattr("uvicorn.run", run)
    result = CliRunner().invoke(cli.app, ["serve", "--port", "9998", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert served["app"] == "coursehost.app:create_served_app"
    assert (served["factory"], served["workers"], served["port"]) == (True, 2, 9998)
    assert served["http"] == "coursehost.kit.serving:EnvironmentHttpProtocol"
    assert os.environ["COURSEHOST_PORT"] == "9998"
    assert "COURSEHOST_HOST" not in os.environ
    assert (environment.data_dir / "secret_key").exists()
    assert (environment.port, environment.workers) == (8000, 1)  # the cached settings are as they were read


def test_uvicorns_access_log_is_off_and_the_apps_follows_its_setting(
    environment: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """uvicorn's own access log is never on (kit/accesslog.py writes a cheaper one); the app writes its own unless
    COURSEHOST_ACCESS_LOG is false."""
    from coursehost.kit.accesslog import AccessLogMiddleware

    served: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **options: served.append((app, options)))
    monkeypatch.setenv("COURSEHOST_ACCESS_LOG", "false")
    get_settings.cache_clear()
    assert CliRunner().invoke(cli.app, ["serve"]).exit_code == 0
    monkeypatch.delenv("COURSEHOST_ACCESS_LOG")  # on by default
    get_settings.cache_clear()
    assert CliRunner().invoke(cli.app, ["serve"]).exit_code == 0
    (off, off_options), (on, on_options) = served
    assert (off_options["access_log"], on_options["access_log"]) == (False, False)
    layers = [[m.cls for m in app.user_middleware] for app in (off, on)]
    assert AccessLogMiddleware not in layers[0]
    assert layers[1][0] is AccessLogMiddleware  # outermost
    for app in (off, on):
        app.state.ctx.db.dispose()
        app.state.ctx.storage.close()
