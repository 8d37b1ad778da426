"""A run-time snapshot (docs/player-runtime.md, "Snapshot"; AICC's HACP state in player/hacp.py) read into the facts
the profile maps. Snapshots come from the browser: anything of an unexpected type reads as absent, never an error."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from coursehost.xapi.scorm.interactions import Interaction, read_interaction
from coursehost.xapi.scorm.values import duration, items, mapping, number, text, timespan


@dataclass(frozen=True)
class Objective:
    completion: bool | None
    success: bool | None


@dataclass(frozen=True)
class State:
    sequence: int
    terminated: bool
    # The player unloaded a SCO that had not finished (reason "unload"): its session ended all the same.
    unloaded: bool
    # AICC only: an AU session is open (HACP's own flag); SCORM sessions are open until terminated or unloaded.
    open: bool
    entry: str
    exit: str
    completion: bool | None
    success: bool | None
    score: dict[str, float]
    duration: str | None
    progress: float | None
    interactions: tuple[Interaction, ...]
    comments: tuple[str, ...]
    objectives: dict[str, Objective]

    @property
    def suspended(self) -> bool:
        return self.exit == "suspend"

    @property
    def ended(self) -> bool:
        return self.terminated or self.unloaded


def score(scaled: float | None, raw: float | None, low: float | None, high: float | None) -> dict[str, float]:
    """An xAPI score, keeping only what xAPI accepts (scaled in -1..1, min <= raw <= max): content can set anything."""
    if low is not None and high is not None and low > high:
        low = high = None
    if raw is not None and low is not None and raw < low:
        low = None
    if raw is not None and high is not None and raw > high:
        high = None
    found = {"scaled": scaled if scaled is not None and -1 <= scaled <= 1 else None, "raw": raw, "min": low}
    found["max"] = high
    return {key: int(value) if value.is_integer() else value for key, value in found.items() if value is not None}


def _status12(status: str) -> tuple[bool | None, bool | None]:
    """SCORM 1.2 / AICC lesson_status: passed and failed imply completion (one status holds both in 1.2)."""
    completion = True if status in ("completed", "passed", "failed") else False if status == "incomplete" else None
    success = True if status == "passed" else False if status == "failed" else None
    return completion, success


def _flag(value: Any, yes: str, no: str) -> bool | None:
    found = text(value)
    return True if found == yes else False if found == no else None


def read(standard: str, data: Any) -> State:
    snapshot = mapping(data)
    cmi = mapping(snapshot.get("cmi"))
    sequence = snapshot.get("sequence")
    common = {
        "sequence": sequence if isinstance(sequence, int) and not isinstance(sequence, bool) else 0,
        "terminated": snapshot.get("terminated") is True,
        "unloaded": standard != "aicc" and snapshot.get("reason") == "unload",
    }
    if standard == "scorm2004":
        return _read2004(snapshot, cmi, common)
    return _read12(standard, snapshot, cmi, common)


def _read12(standard: str, snapshot: Mapping[str, Any], cmi: Mapping[str, Any], common: dict[str, Any]) -> State:
    core = mapping(cmi.get("core"))
    completion, success = _status12(text(core.get("lesson_status")))
    if standard == "aicc":
        # HACP's Score is "raw[,max[,min]]".
        parts = [number(part) for part in text(core.get("score")).split(",")[:3]] + [None, None]
        raw, high, low = parts[0], parts[1], parts[2]
    else:
        given = mapping(core.get("score"))
        raw, low, high = number(given.get("raw")), number(given.get("min")), number(given.get("max"))
    objectives = {}
    for item in items(cmi.get("objectives")):
        if text(item.get("id")):
            objectives[text(item.get("id"))] = Objective(*_status12(text(item.get("status"))))
    comment = text(cmi.get("comments"))
    ended = common["terminated"] or common["unloaded"]
    return State(
        **common,
        open=snapshot.get("open") is True if standard == "aicc" else not ended,
        entry=text(core.get("entry")),
        exit=text(core.get("exit")),
        completion=completion,
        success=success,
        score=score(raw / 100 if raw is not None and 0 <= raw <= 100 else None, raw, low, high),
        duration=timespan(core.get("session_time")),
        progress=None,
        interactions=tuple(
            read_interaction("scorm12", n, item) for n, item in enumerate(items(cmi.get("interactions")))
        ),
        comments=(comment,) if comment else (),
        objectives=objectives,
    )


def _read2004(snapshot: Mapping[str, Any], cmi: Mapping[str, Any], common: dict[str, Any]) -> State:
    given = mapping(cmi.get("score"))
    objectives = {}
    for item in items(cmi.get("objectives")):
        if text(item.get("id")):
            objectives[text(item.get("id"))] = Objective(
                _flag(item.get("completion_status"), "completed", "incomplete"),
                _flag(item.get("success_status"), "passed", "failed"),
            )
    nav = text(mapping(mapping(snapshot.get("adl")).get("nav")).get("request"))
    exit_value = text(cmi.get("exit"))
    progress = number(cmi.get("progress_measure"))
    return State(
        **common,
        open=not (common["terminated"] or common["unloaded"]),
        entry=text(cmi.get("entry")),
        # suspendAll suspends the attempt as cmi.exit = suspend does (the run-time resumes after either).
        exit="suspend" if nav == "suspendAll" else exit_value,
        completion=_flag(cmi.get("completion_status"), "completed", "incomplete"),
        success=_flag(cmi.get("success_status"), "passed", "failed"),
        score=score(
            number(given.get("scaled")), number(given.get("raw")), number(given.get("min")), number(given.get("max"))
        ),
        duration=duration(cmi.get("session_time")),
        progress=progress if progress is not None and 0 <= progress <= 1 else None,
        interactions=tuple(
            read_interaction("scorm2004", n, item) for n, item in enumerate(items(cmi.get("interactions")))
        ),
        comments=tuple(text(item.get("comment")) for item in items(cmi.get("comments_from_learner"))),
        objectives=objectives,
    )
