"""``coursehost worker``: import workers in their own process, sharing the database and storage with the API."""

from __future__ import annotations

import signal
import threading

from coursehost.app import build_context
from coursehost.config import get_settings
from coursehost.imports.worker import Dispatcher
from coursehost.kit.serving import freeze_heap


def run_worker() -> None:
    # A copy: the cached environment settings stay as they were read.
    settings = get_settings().model_copy(update={"embedded_workers": True})
    ctx = build_context(settings)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    dispatcher = Dispatcher(ctx, settings.import_workers)
    freeze_heap()
    dispatcher.start()
    stop.wait()
    dispatcher.stop()
    ctx.storage.close()
    ctx.db.dispose()
