"""Run a module under cProfile in every thread and write the merged statistics when it ends.

    python bench/_profiled.py OUT.prof coursehost serve --port 8000

cProfile sees only the thread that enabled it, and the server's work runs in many (the event loop, the thread pool,
the import workers): each new thread starts its own profiler, and at exit (SIGTERM included; uvicorn re-raises it
after shutting down) all of them are merged into one pstats file. Profiling slows Python code down several times,
so times measured meanwhile are not comparable with unprofiled runs; the shares of the time are what to read.
"""

from __future__ import annotations

import cProfile
import pstats
import runpy
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

_profiles: list[cProfile.Profile] = []
_lock = threading.Lock()
_written = False


def _start(frame: FrameType, event: str, arg: Any) -> None:
    # Called once per new thread, on its first event: replace this hook with a profiler of the thread's own.
    profile = cProfile.Profile()
    with _lock:
        _profiles.append(profile)
    profile.enable()


def _write(out: str) -> None:
    global _written
    with _lock:
        if _written or not _profiles:
            return
        _written = True
        stats = pstats.Stats(_profiles[0])
        for profile in _profiles[1:]:
            try:
                stats.add(profile)
            except (TypeError, ValueError):  # a thread that never ran profiled code
                continue
        stats.dump_stats(out)


def launcher(out: str) -> list[str]:
    """The command that replaces ``python -m`` to run a module profiled into ``out``."""
    return [sys.executable, str(Path(__file__).resolve()), str(Path(out).resolve())]


def report(out: str, restrict: str) -> None:
    """Print the functions with the most time of their own, then those whose path matches ``restrict`` by
    cumulative time. Waits (a lock's acquire, the event loop's select) lead the first list: idle threads wait."""
    print(f"\nprofile of the server (every thread, merged) in {out}:\n")
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
    main_profile = cProfile.Profile()
    _profiles.append(main_profile)
    main_profile.enable()
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    finally:
        main_profile.disable()
        _write(out)


if __name__ == "__main__":
    main()
