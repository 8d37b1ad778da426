"""What a crash leaves behind: temporary files of processes that stopped mid-upload, and staged uploads
(``incoming/<jobId>``) that no job will read again.

A staged upload is kept while a queued or running job will read it (a job whose process died is claimed again and
needs it). It is removed at once when the job it was staged for has finished, and otherwise when no active job uses
it in two sweeps running: an upload is staged a moment before its job row commits, so one look could catch a live
upload in between.
"""

from __future__ import annotations

import logging
import threading

from coursehost.context import Context
from coursehost.imports import repository as repo
from coursehost.imports.jobs import INCOMING

log = logging.getLogger(__name__)


class LeftoverSweeper:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._suspects: set[str] = set()
        self._lock = threading.Lock()

    def sweep(self) -> int:
        """One round; returns the bytes freed."""
        with self._lock:
            return self._sweep()

    def _sweep(self) -> int:
        storage = self.ctx.storage
        freed = storage.sweep_temp_files()
        staged = dict(storage.list(INCOMING + "/"))
        with self.ctx.db.session() as session:
            unused = staged.keys() - repo.staged_uploads_in_use(session, list(staged))
            by_job = {key.rsplit("/", 1)[-1]: key for key in unused}
            finished = {by_job[job_id] for job_id in repo.finished_job_ids(session, list(by_job))}
        doomed = finished | (unused & self._suspects)
        self._suspects = unused - doomed
        for key in doomed:
            storage.delete(key)
            freed += staged[key]
        if doomed:
            log.info("removed %d staged uploads that no import job will read", len(doomed))
        return freed
