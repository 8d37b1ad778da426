"""A SCORM interaction (``cmi.interactions.n``) as an xAPI interaction activity (xAPI 1.0.3 Data 2.4.4.1, "Interaction
Activities") and the result of the learner's answer.

SCORM 2004's response patterns are the syntax xAPI took over (``[,]``, ``[.]``, ``[:]``, ``{case_matters=}``...), so
they pass through. SCORM 1.2's older forms (``a,b``, ``1.a,2.b``, ``t``/``f``) are rewritten into it. SCORM keeps no
description of a choice, so the components (choices, scale, source/target, steps) list the ids the patterns and the
response name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from coursehost.xapi.scorm.values import duration, items, number, text, timespan

TYPES = frozenset(
    [
        *("true-false", "choice", "fill-in", "long-fill-in", "likert"),
        *("matching", "performance", "sequencing", "numeric", "other"),
    ]
)
_LANG = re.compile(r"^\{lang=([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)\}")
_PREFIX = re.compile(r"^(\{(?:case_matters|order_matters)=(?:true|false)\})+")


@dataclass(frozen=True)
class Interaction:
    index: int
    id: str
    type: str
    description: dict[str, str] | None
    correct: tuple[str, ...]
    response: str | None
    result: str
    latency: str | None
    objectives: tuple[str, ...]

    @property
    def answered(self) -> bool:
        return self.response is not None or bool(self.result)


def _localized(value: str) -> dict[str, str] | None:
    if not value:
        return None
    found = _LANG.match(value)
    if found is None:
        return {"und": value}
    rest = value[found.end() :]
    return {found.group(1): rest} if rest else None


def _pattern12(kind: str, value: str) -> str:
    """A SCORM 1.2 pattern or response (RTE 3.4.2.7.x) in xAPI's syntax."""
    if kind == "true-false":
        lowered = value.lower()
        return "true" if lowered in ("t", "true", "1") else "false" if lowered in ("f", "false", "0") else value
    if kind in ("choice", "sequencing"):
        return "[,]".join(part.strip() for part in value.strip("{}").split(",") if part.strip())
    if kind == "matching":
        pairs = [part.strip().split(".", 1) for part in value.strip("{}").split(",") if part.strip()]
        return "[,]".join("[.]".join(pair) for pair in pairs)
    return value


def read_interaction(standard: str, index: int, item: Mapping[str, Any]) -> Interaction:
    kind = text(item.get("type"))
    kind = kind if kind in TYPES else ""
    patterns = [text(entry.get("pattern")) for entry in items(item.get("correct_responses"))]
    if standard == "scorm12":
        response_value = item.get("student_response")
        response = _pattern12(kind, text(response_value)) if text(response_value) else None
        correct = tuple(_pattern12(kind, pattern) for pattern in patterns if pattern)
        latency = timespan(item.get("latency"))
        description = None
    else:
        response_value = item.get("learner_response")
        # An empty choice response is the empty set, which SCORM 2004 allows; null means never set.
        response = text(response_value) if isinstance(response_value, str) else None
        correct = tuple(pattern for pattern in patterns if pattern or kind == "choice")
        latency = duration(item.get("latency"))
        description = _localized(text(item.get("description")))
    return Interaction(
        index=index,
        id=text(item.get("id")),
        type=kind,
        description=description,
        correct=correct,
        response=response,
        result=text(item.get("result")),
        latency=latency,
        objectives=tuple(text(o.get("id")) for o in items(item.get("objectives")) if text(o.get("id"))),
    )


def _ids(values: list[str], separator: str) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        for part in _PREFIX.sub("", value).split(separator):
            if part:
                seen.setdefault(part, None)
    return list(seen)


def _components(kind: str, values: list[str]) -> dict[str, Any]:
    def listed(ids: list[str]) -> list[dict[str, Any]]:
        return [{"id": found} for found in ids]

    if kind in ("choice", "sequencing"):
        return {"choices": listed(_ids(values, "[,]"))} if _ids(values, "[,]") else {}
    if kind == "likert":
        return {"scale": listed(_ids(values, "[,]"))} if _ids(values, "[,]") else {}
    pairs = [pair.split("[.]", 1) for pair in _ids(values, "[,]")]
    if kind == "matching":
        source = list(dict.fromkeys(pair[0] for pair in pairs if pair[0]))
        target = list(dict.fromkeys(pair[1] for pair in pairs if len(pair) == 2 and pair[1]))
        return {"source": listed(source), "target": listed(target)} if source and target else {}
    if kind == "performance":
        steps = list(dict.fromkeys(pair[0] for pair in pairs if len(pair) == 2 and pair[0]))
        return {"steps": listed(steps)} if steps else {}
    return {}


def definition(interaction: Interaction) -> dict[str, Any]:
    found: dict[str, Any] = {"type": "http://adlnet.gov/expapi/activities/cmi.interaction"}
    if interaction.description:
        found["description"] = interaction.description
    if interaction.type:
        found["interactionType"] = interaction.type
        if interaction.correct:
            found["correctResponsesPattern"] = list(interaction.correct)
        answers = [*interaction.correct, *([interaction.response] if interaction.response else [])]
        found |= _components(interaction.type, answers)
    return found


def result(interaction: Interaction) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if interaction.response is not None:
        found["response"] = interaction.response
    outcome = interaction.result.lower()
    if outcome == "correct":
        found["success"] = True
    elif outcome in ("incorrect", "wrong"):
        found["success"] = False
    elif number(outcome) is not None:
        # SCORM lets a result be a number (a score for the answer): xAPI's raw score, having no min or max.
        value = number(outcome) or 0.0
        found["score"] = {"raw": int(value) if value.is_integer() else value}
    if interaction.latency:
        found["duration"] = interaction.latency
    return found
