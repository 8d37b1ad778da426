"""What changed between two run-time snapshots of one activity, as the profile's statements.

Each event is found once: ``launched`` and ``initialized`` (or ``resumed``) where a SCO session begins (no earlier
snapshot, or the earlier one ended), ``completed``/``passed``/``failed`` where a status first says so, ``scored``,
``progressed``, ``commented`` and an interaction's ``responded`` where a value appears or changes, ``terminated`` or
``suspended`` where the session ends. A statement's id is a UUID 5 of the player session, the activity, the event and
the sequence of the snapshot that showed it, so a snapshot delivered twice produces the same ids.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any

from coursehost.xapi.scorm import interactions as inter
from coursehost.xapi.scorm.reading import State, read
from coursehost.xapi.scorm.vocabulary import Sco, activity, verb

_IDS = uuid.UUID("2b8f6f0e-2a57-5b5e-8d4a-6c0f1f5a7e93")


@dataclass(frozen=True)
class Outcome:
    statements: list[dict[str, Any]]
    # The attempt the newest snapshot belongs to, carried with it so that a resumed session reports the same one.
    attempt: str


def statement_id(sco: Sco, event: str, sequence: int) -> str:
    return str(uuid.uuid5(_IDS, f"{sco.session_id}/{sco.activity}/{event}/{sequence}"))


class _Builder:
    def __init__(self, sco: Sco, attempt: str, sequence: int, timestamp: str) -> None:
        self.sco, self.attempt, self.sequence, self.timestamp = sco, attempt, sequence, timestamp
        self.statements: list[dict[str, Any]] = []

    def add(self, event: str, name: str, *, obj: dict[str, Any] | None = None, result: dict[str, Any] | None = None,
            parent: bool = False, other: list[str] | None = None) -> None:  # fmt: skip
        found: dict[str, Any] = {
            "id": statement_id(self.sco, event, self.sequence),
            "actor": self.sco.actor,
            "verb": verb(name),
            "object": obj or self.sco.sco(),
            "context": self.sco.context(self.attempt, parent=parent, other=other),
            "timestamp": self.timestamp,
        }
        if result:
            found["result"] = result
        self.statements.append(found)


def new_attempt(sco: Sco, sequence: int) -> str:
    return str(uuid.uuid5(_IDS, f"{sco.session_id}/{sco.activity}/attempt/{sequence}"))


def changes(sco: Sco, standard: str, previous: Any, new: Any, attempt: str | None, timestamp: str) -> Outcome:
    """The statements ``new`` adds to ``previous`` (None when the activity has none yet); ``attempt`` is the one
    ``previous`` belonged to. ``standard`` is the player's: scorm12, scorm2004 or aicc."""
    before = read(standard, previous) if previous is not None else None
    after = read(standard, new)
    begins = before is None or (not before.open if standard == "aicc" else before.ended)
    resumes = begins and before is not None and attempt is not None and after.entry == "resume"
    if begins and not resumes or attempt is None:
        attempt = new_attempt(sco, after.sequence)
    out = _Builder(sco, attempt, after.sequence, timestamp)
    baseline = before
    if begins:
        out.add("launched", "launched")
        out.add("resumed" if resumes else "initialized", "resumed" if resumes else "initialized")
        # A new attempt that starts afresh has nothing to compare with; SCORM 1.2's entry "" keeps the data.
        baseline = before if before is not None and after.entry != "ab-initio" else None
    _during(out, baseline, after)
    if after.ended:
        # HACP's ExitAU moves the session time into the total: the time is the one the AU last put.
        end = after if after.duration or begins or before is None else replace(after, duration=before.duration)
        out.add("end", "suspended" if after.suspended else "terminated", result=overall(end))
    return Outcome(out.statements, attempt)


def ending(sco: Sco, standard: str, stored: Any, attempt: str | None, timestamp: str) -> list[dict[str, Any]]:
    """The player session ended (exit) while this activity's SCO session was still open: it ends with it."""
    state = read(standard, stored)
    if not state.open or attempt is None:
        return []
    out = _Builder(sco, attempt, state.sequence, timestamp)
    out.add("exit", "suspended" if state.suspended else "terminated", result=overall(state))
    return out.statements


def overall(state: State) -> dict[str, Any]:
    """The SCO's result as the profile asks it on terminated and suspended."""
    found: dict[str, Any] = {}
    if state.score:
        found["score"] = state.score
    if state.success is not None:
        found["success"] = state.success
    if state.completion is not None:
        found["completion"] = state.completion
    if state.duration:
        found["duration"] = state.duration
    return found


def _during(out: _Builder, baseline: State | None, after: State) -> None:
    known = {found.index: found for found in baseline.interactions} if baseline else {}
    for found in after.interactions:
        old = known.get(found.index)
        changed = old is None or (old.id, old.response, old.result) != (found.id, found.response, found.result)
        if found.answered and changed:
            obj = activity(out.sco.interaction_iri(found.id or str(found.index)), "cmi.interaction")
            obj["definition"] = inter.definition(found)
            other = list(found.objectives) or None
            out.add(
                f"responded/{found.index}", "responded", obj=obj, result=inter.result(found), parent=True, other=other
            )
    if after.progress is not None and (baseline is None or baseline.progress != after.progress):
        out.add("progressed", "progressed", result={"score": {"scaled": after.progress}})
    if after.score and (baseline is None or baseline.score != after.score):
        out.add("scored", "scored", result={"score": after.score})
    if after.completion is True and not (baseline is not None and baseline.completion is True):
        out.add("completed", "completed")
    if after.success is not None and (baseline is None or baseline.success != after.success):
        out.add("success", "passed" if after.success else "failed")
    old_comments = baseline.comments if baseline else ()
    for index, comment in enumerate(after.comments):
        if comment and (index >= len(old_comments) or old_comments[index] != comment):
            out.add(f"commented/{index}", "commented", result={"response": comment})
    _objectives(out, baseline, after)


def _objectives(out: _Builder, baseline: State | None, after: State) -> None:
    known = baseline.objectives if baseline else {}
    for objective_id, status in after.objectives.items():
        old = known.get(objective_id)
        obj = activity(out.sco.objective_iri(objective_id), "objective", objective_id)
        if status.completion is True and not (old is not None and old.completion is True):
            out.add(f"objective/{objective_id}/completed", "completed", obj=obj, parent=True)
        if status.success is not None and (old is None or old.success != status.success):
            out.add(f"objective/{objective_id}/success", "passed" if status.success else "failed", obj=obj, parent=True)
