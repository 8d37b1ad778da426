"""Run a module under cProfile in every thread and write the merged statistics when it ends.

    python bench/_profiled.py OUT.prof coursehost serve --port 8000

cProfile sees only the thread that enabled it, and the server's work runs in many (the event loop, the thread pool,
the import workers): each new thread starts its own profiler, and at exit (SIGTERM included; uvicorn re-raises it
after shutting down) all of them are merged into one pstats file. The profilers count each thread's CPU time
(``time.thread_time``), not wall time: with threads, wall time charges a call with the time its thread waited for
the GIL while others ran (a 0.1 ms SQLite query showed as 6 ms), and idle threads' waits would lead every list.
Profiling slows Python code down several times, so times measured meanwhile are not comparable with unprofiled runs;
the shares of the time are what to read.
"""

from __future__ import annotations

import cProfile
import marshal
import pstats
import runpy
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any

_profiles: list[cProfile.Profile] = []
_lock = threading.Lock()
_written = False


def _start(frame: FrameType, event: str, arg: Any) -> None:
    # Called once per new thread, on its first event: replace this hook with a profiler of the thread's own.
    profile = cProfile.Profile(time.thread_time)
    with _lock:
        _profiles.append(profile)
    profile.enable()


def _write(out: str) -> None:
    global _written
    with _lock:
        if _written or not _profiles:
            return
        _written = True
        # Not create_stats(): it disables the profiler, which closes the calls still open in *its* thread (a worker
        # waiting for work) with the CPU clock of *this* one, charging a wait with seconds it never used. A
        # snapshot holds the finished calls only.
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for n, profile in enumerate(_profiles):
                profile.snapshot_stats()
                path = Path(tmp) / f"{n}.prof"
                path.write_bytes(marshal.dumps(profile.stats))  # what dump_stats writes
                paths.append(str(path))
            pstats.Stats(*paths).dump_stats(out)


def launcher(out: str) -> list[str]:
    """The command that replaces ``python -m`` to run a module profiled into ``out``."""
    return [sys.executable, str(Path(__file__).resolve()), str(Path(out).resolve())]


def report(out: str, restrict: str) -> None:
    """Print the functions with the most CPU time of their own, then those whose path matches ``restrict`` by
    cumulative CPU time."""
    print(f"\nprofile of the server (CPU time of every thread, merged) in {out}:\n")
    pstats.Stats(out).sort_stats("tottime").print_stats(25)
    pstats.Stats(out).sort_stats("cumulative").print_stats(restrict, 30)


def main() -> None:
    if len(sys.argv) < 3:
        raise SystemExit("usage: python bench/_profiled.py OUT.prof MODULE [ARGS...]")
    out, module = sys.argv[1], sys.argv[2]
    sys.argv = [module, *sys.argv[3:]]

    def on_term(signum: int, frame: FrameType | None) -> None:
        _write(out)
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_term)
    threading.setprofile(_start)
    main_profile = cProfile.Profile(time.thread_time)
    _profiles.append(main_profile)
    main_profile.enable()
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    finally:
        main_profile.disable()
        _write(out)


if __name__ == "__main__":
    main()
