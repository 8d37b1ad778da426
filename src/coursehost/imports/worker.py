"""The import worker pool.

Jobs live in the database, so the same code serves both shapes of deployment: threads inside the web process
(embedded default) or ``coursehost worker`` processes beside it. A worker claims a job with a conditional UPDATE,
loads its row once and hands it to :meth:`coursehost.imports.service.Importer.run`, and holds a lease that a
heartbeat keeps extending; a job whose lease ran out (its process died) is claimed again, up to
``job_max_attempts`` times, after which it ends in ERROR with a message saying so.

Every process also sweeps what crashed processes left behind (imports/leftovers.py) when it starts, and the
housekeeping thread of a process with workers sweeps again now and then.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from coursehost.context import Context
from coursehost.imports import jobs
from coursehost.imports import repository as repo
from coursehost.imports.jobs import ClaimedJob
from coursehost.imports.leftovers import LeftoverSweeper
from coursehost.imports.service import Importer
from coursehost.models import utcnow

log = logging.getLogger(__name__)
# The start-up sweep looks twice this far apart, so an upload staged just before its job row commits is never taken
# for an orphan.
LEFTOVER_GRACE_SECONDS = 30.0
# Housekeeping rounds between two sweeps (a round is a quarter of the job lease: 15 s by default).
SWEEP_EVERY_ROUNDS = 8


class Dispatcher:
    """The worker pool of one process: ``threads`` workers (none: only the start-up sweep), woken by
    ``ctx.wakeup`` when this process queues a job."""

    def __init__(self, ctx: Context, threads: int) -> None:
        self.ctx = ctx
        self.threads = threads
        self.importer = Importer(ctx)
        self._stop = threading.Event()
        self._running: set[str] = set()
        self._lock = threading.Lock()
        self._workers: list[threading.Thread] = []
        self._sweeper = LeftoverSweeper(ctx)

    def start(self) -> None:
        self._stop.clear()
        sweeper = threading.Thread(target=self._sweep_at_start, name="leftover-sweep", daemon=True)
        sweeper.start()
        self._workers.append(sweeper)
        if self.threads <= 0:
            return
        for n in range(self.threads):
            thread = threading.Thread(target=self._loop, name=f"import-worker-{n}", daemon=True)
            thread.start()
            self._workers.append(thread)
        keeper = threading.Thread(target=self._housekeeping, name="import-housekeeping", daemon=True)
        keeper.start()
        self._workers.append(keeper)
        self.ctx.wakeup.notify()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self.ctx.wakeup.notify()
        for thread in self._workers:
            thread.join(timeout)
        self._workers.clear()

    def run_pending(self) -> int:
        """Claim and run jobs on the calling thread until none is left (the CLI and tests use this)."""
        done = 0
        while (claimed := self._claim()) is not None:
            self._run(claimed)
            done += 1
        return done

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                claimed = self._claim()
            except Exception:
                log.exception("claiming an import job failed")
                claimed = None
            if claimed is None:
                self.ctx.wakeup.wait(self.ctx.settings.worker_poll_seconds)
                continue
            self._run(claimed)

    def _claim(self) -> ClaimedJob | None:
        """The next job this worker holds the lease on, loaded once; a job interrupted too often ends in ERROR."""
        settings = self.ctx.settings
        now = utcnow()
        lease = now + timedelta(seconds=settings.job_lease_seconds)
        with self.ctx.db.session() as session:
            candidates = repo.claimable(session, now, limit=8)
        for job_id in candidates:
            with self.ctx.db.session() as session:
                claimed = jobs.claim(session, job_id, now, lease)
            if claimed is None:
                continue
            if claimed.job.attempts > settings.job_max_attempts:
                message = (
                    f"The import was interrupted {settings.job_max_attempts} times (the server stopped while it ran); "
                    "please import the package again"
                )
                self.importer.fail(claimed.job, message)
                continue
            return claimed
        return None

    def _run(self, claimed: ClaimedJob) -> None:
        job_id = claimed.job.id
        with self._lock:
            self._running.add(job_id)
        try:
            self.importer.run(claimed)
        except Exception:
            log.exception("import job %s crashed", job_id)
        finally:
            with self._lock:
                self._running.discard(job_id)

    def _sweep_leftovers(self) -> None:
        try:
            self._sweeper.sweep()
        except Exception:
            log.exception("sweeping leftover files failed")

    def _sweep_at_start(self) -> None:
        self._sweep_leftovers()
        if not self._stop.wait(LEFTOVER_GRACE_SECONDS):
            self._sweep_leftovers()

    def _housekeeping(self) -> None:
        settings = self.ctx.settings
        interval = max(1.0, settings.job_lease_seconds / 4)
        rounds = 0
        while not self._stop.wait(interval):
            rounds += 1
            try:
                with self._lock:
                    running = list(self._running)
                lease = utcnow() + timedelta(seconds=settings.job_lease_seconds)
                with self.ctx.db.session() as session:
                    repo.extend_leases(session, running, lease)
                    repo.purge_finished_before(session, utcnow() - timedelta(days=settings.job_retention_days))
                # Blobs are freed when versions are deleted; this sweep catches those skipped while an import ran.
                if rounds % 40 == 0:
                    self.ctx.content.collect_all()
                if rounds % SWEEP_EVERY_ROUNDS == 0:
                    self._sweep_leftovers()
            except Exception:
                log.exception("import housekeeping failed")
