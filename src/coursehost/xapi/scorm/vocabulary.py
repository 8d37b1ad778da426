"""The profile's vocabulary: ADL verbs, activity types, and the activities and context its statements share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
ADL_TYPES = "http://adlnet.gov/expapi/activities/"
PROFILE = {"id": "https://w3id.org/xapi/scorm", "definition": {"type": ADL_TYPES + "profile"}}
# A title's language is unknown: "und" is RFC 5646's tag for that.
UNDETERMINED = "und"


def verb(name: str) -> dict[str, Any]:
    return {"id": ADL_VERBS + name, "display": {"en-US": name}}


def activity(iri: str, kind: str, title: str | None = None) -> dict[str, Any]:
    definition: dict[str, Any] = {"type": ADL_TYPES + kind}
    if title:
        definition["name"] = {UNDETERMINED: title}
    return {"objectType": "Activity", "id": iri, "definition": definition}


def segment(value: str) -> str:
    """One path segment of an IRI the profile builds: percent-encoded, so ids with '/' or '?' stay one segment."""
    return quote(value, safe="")


@dataclass(frozen=True)
class Sco:
    """What the player knows of one launch: who, which course and SCO, in which player session."""

    session_id: str
    activity: int
    actor: dict[str, Any]
    registration: str
    course_iri: str
    course_title: str
    sco_iri: str
    sco_title: str

    def attempt_iri(self, attempt: str) -> str:
        return f"{self.sco_iri}?attemptId={attempt}"

    def sco(self) -> dict[str, Any]:
        return activity(self.sco_iri, "lesson", self.sco_title)

    def context(self, attempt: str, *, parent: bool = False, other: list[str] | None = None) -> dict[str, Any]:
        """The profile's context: the course and the attempt as grouping, the profile as category; the SCO as parent
        of what happens inside it (interactions, objectives)."""
        grouping = [
            activity(self.course_iri, "course", self.course_title),
            activity(self.attempt_iri(attempt), "attempt"),
        ]
        activities: dict[str, Any] = {"grouping": grouping, "category": [PROFILE]}
        if parent:
            activities["parent"] = [self.sco()]
        if other:
            activities["other"] = [activity(self.objective_iri(found), "objective") for found in other]
        return {"registration": self.registration, "contextActivities": activities}

    def interaction_iri(self, interaction_id: str) -> str:
        return f"{self.sco_iri}/interactions/{segment(interaction_id)}"

    def objective_iri(self, objective_id: str) -> str:
        return f"{self.sco_iri}/objectives/{segment(objective_id)}"
