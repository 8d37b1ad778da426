"""The cmi5 rules for an AU's statements (cmi5 §9.3–§9.6, §10.2.2) and the moveOn evaluation (§9.3.9), as pure
functions over one AU session's state.

``state`` is what the LMS knows when a statement arrives (``new_state`` makes it at launch, ``advance`` moves it
on): the launch's actor, registration, session id, activity id, publisher id, moveOn, mastery score and launch
mode; whether the AU read its learner preferences and whether the session was initialized, terminated or abandoned;
the cmi5 defined verbs it used; and, over the whole registration, whether this AU was already completed or passed
(``registration`` key). ``check_au_statement`` says why a statement must be refused (403), or None;
``check_learner_preferences`` why an AU's write of its learner preferences document must be (cmi5 §11).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from coursehost.xapi.agents import agent_key
from coursehost.xapi.cmi5.statements import (
    CATEGORY_CMI5,
    CATEGORY_MOVEON,
    EXT_MASTERY,
    EXT_SESSION,
    VERB_COMPLETED,
    VERB_FAILED,
    VERB_INITIALIZED,
    VERB_PASSED,
    VERB_TERMINATED,
    AuLaunch,
)

AU_VERBS = (VERB_INITIALIZED, VERB_COMPLETED, VERB_PASSED, VERB_FAILED, VERB_TERMINATED)
_NEEDS_DURATION = (VERB_TERMINATED, VERB_COMPLETED, VERB_PASSED, VERB_FAILED)
LEARNER_PREFERENCES = "cmi5LearnerPreferences"
# cmi5 §11.1: a comma-separated list of RFC 5646 language tags (their letters, digits and hyphens), no spaces.
_LANGUAGE_LIST = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?:,[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)*")


def new_state(launch: AuLaunch, launched_at: str, registration_facts: Mapping[str, bool]) -> dict[str, Any]:
    return {
        "actor": launch.actor,
        "registration": launch.registration,
        "sessionId": launch.session_id,
        "activityId": launch.activity_id,
        "publisherId": launch.publisher_id,
        "moveOn": launch.move_on,
        "masteryScore": launch.mastery_score,
        "launchMode": launch.launch_mode,
        "launchedAt": launched_at,
        "lastAt": launched_at,
        "learnerPreferencesRead": False,
        "initialized": False,
        "terminated": False,
        "abandoned": False,
        "verbs": [],
        "registrationFacts": {
            "completed": bool(registration_facts.get("completed")),
            "passed": bool(registration_facts.get("passed")),
            "failed": bool(registration_facts.get("failed")),
        },
    }


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _ids(items: Any) -> list[str]:
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        return []
    return [item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)]


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def check_au_statement(statement: Mapping[str, Any], state: Mapping[str, Any]) -> str | None:
    """Why the LMS refuses this statement from the AU of this session (cmi5 requirement ids in the text), or None."""
    verb = _obj(statement.get("verb")).get("id")
    context = _obj(statement.get("context"))
    result = _obj(statement.get("result"))
    activities = _obj(context.get("contextActivities"))
    extensions = _obj(context.get("extensions"))
    categories = _ids(activities.get("category"))
    defined = CATEGORY_CMI5 in categories
    if state.get("abandoned"):
        return "the session was abandoned: no statement is accepted after it (cmi5 9.3.6.0-2)"
    if state.get("terminated"):
        return "the session was terminated: no statement is accepted after it (cmi5 9.3.0.0-5)"
    if not state.get("initialized") and verb != VERB_INITIALIZED:
        return "the first statement of a session must be 'initialized' (cmi5 9.3.0.0-4)"
    if not state.get("initialized") and not state.get("learnerPreferencesRead"):
        return "the AU must read its learner preferences document before 'initialized' (cmi5 11.0.0.0-3)"
    if verb == VERB_INITIALIZED and state.get("initialized"):
        return "the session was already initialized (cmi5 9.3.2.0-3)"
    if not isinstance(statement.get("id"), str):
        return "an AU's statement must carry its id (cmi5 9.1.0.0-1)"
    timestamp = statement.get("timestamp")
    if not isinstance(timestamp, str):
        return "an AU's statement must carry its timestamp (cmi5 9.7.0.0-1)"
    if not timestamp.upper().endswith(("Z", "+00:00")):
        return "an AU's statement's timestamp must be in UTC (cmi5 9.7.0.0-2)"
    if _obj(statement.get("actor")).get("objectType", "Agent") != "Agent":
        return "the actor must be an Agent, the one the AU was launched with (cmi5 9.2.0.0-2)"
    if agent_key(statement.get("actor") or {}) != agent_key(dict(state["actor"])):
        return "the actor is not the one the AU was launched with (cmi5 8.1.3.0-3)"
    if extensions.get(EXT_SESSION) != state["sessionId"]:
        return "the context's session id extension is missing or not this session's (cmi5 9.6.3.1-4)"
    score = result.get("score") if isinstance(result.get("score"), dict) else None
    if score is not None and "raw" in score and ("min" not in score or "max" not in score):
        return "a score with 'raw' needs 'min' and 'max' (cmi5 9.5.1.0-3)"
    moveon_category = CATEGORY_MOVEON in categories
    if not defined:
        if moveon_category:
            return "only cmi5 defined statements may carry the moveOn category (cmi5 9.6.2.2-2)"
        return None
    return _check_defined(statement, state, verb, context, result, score, moveon_category, activities, extensions)


def _check_defined(
    statement: Mapping[str, Any],
    state: Mapping[str, Any],
    verb: Any,
    context: Mapping[str, Any],
    result: Mapping[str, Any],
    score: Mapping[str, Any] | None,
    moveon_category: bool,
    activities: Mapping[str, Any],
    extensions: Mapping[str, Any],
) -> str | None:
    if verb not in AU_VERBS:
        return f"'{verb}' is not a verb an AU may use in a cmi5 defined statement (cmi5 9.3.0.0-1)"
    obj = _obj(statement.get("object"))
    if obj.get("id") != state["activityId"]:
        return "the object of a cmi5 defined statement must be the launch's activityId (cmi5 8.1.5.0-6)"
    if context.get("registration") != state["registration"]:
        return "the context's registration is missing or not the launch's (cmi5 9.6.1.0-1)"
    if state["publisherId"] not in _ids(activities.get("grouping")):
        return "the context template's grouping activity is missing (cmi5 9.6.2.0-1, 10.2.1.0-7)"
    used = state.get("verbs") or []
    facts = state.get("registrationFacts") or {}
    if verb in used:
        return "a cmi5 defined verb may be used once per session (cmi5 9.3.0.0-2)"
    if verb in (VERB_PASSED, VERB_FAILED, VERB_COMPLETED) and state.get("launchMode") != "Normal":
        return f"launchMode {state.get('launchMode')} records no passed, failed or completed (cmi5 10.2.2.0-2)"
    if verb in (VERB_PASSED, VERB_FAILED) and (VERB_PASSED in used or VERB_FAILED in used):
        return "only one of passed and failed per session (cmi5 9.3.0.0-3)"
    if verb == VERB_COMPLETED and facts.get("completed"):
        return "the AU was already completed in this registration (cmi5 9.3.0.0-6)"
    if verb == VERB_PASSED and facts.get("passed"):
        return "the AU was already passed in this registration (cmi5 9.3.0.0-7)"
    if verb == VERB_FAILED and facts.get("passed"):
        return "failed cannot follow passed in a registration (cmi5 9.3.0.0-8)"
    return _check_result(state, verb, result, score, moveon_category, extensions)


def _check_result(
    state: Mapping[str, Any],
    verb: Any,
    result: Mapping[str, Any],
    score: Mapping[str, Any] | None,
    moveon_category: bool,
    extensions: Mapping[str, Any],
) -> str | None:
    if score is not None and verb not in (VERB_PASSED, VERB_FAILED):
        return "only passed and failed statements may carry a score (cmi5 9.5.1.0-2)"
    success = result.get("success")
    if verb == VERB_PASSED and success is not True:
        return "a passed statement needs result.success true (cmi5 9.5.2.0-1)"
    if verb == VERB_FAILED and success is not False:
        return "a failed statement needs result.success false (cmi5 9.5.2.0-2)"
    if verb not in (VERB_PASSED, VERB_FAILED) and "success" in result:
        return "only passed and failed statements may carry result.success (cmi5 9.5.2.0-3)"
    if verb == VERB_COMPLETED and result.get("completion") is not True:
        return "a completed statement needs result.completion true (cmi5 9.5.3.0-1)"
    if verb != VERB_COMPLETED and "completion" in result:
        return "only completed statements may carry result.completion (cmi5 9.5.3.0-2)"
    if verb in _NEEDS_DURATION and not isinstance(result.get("duration"), str):
        return f"a {str(verb).rsplit('/', 1)[-1]} statement needs result.duration (cmi5 9.5.4.1)"
    has_outcome = "success" in result or "completion" in result
    if has_outcome and not moveon_category:
        return "a statement with result.success or result.completion needs the moveOn category (cmi5 9.6.2.2-1)"
    if moveon_category and not has_outcome:
        return "the moveOn category belongs only on statements with success or completion (cmi5 9.6.2.2-2)"
    mastery = _number(state.get("masteryScore"))
    scaled = _number(score.get("scaled")) if score is not None else None
    if verb in (VERB_PASSED, VERB_FAILED) and mastery is not None and score is not None:
        if _number(extensions.get(EXT_MASTERY)) != mastery:
            return "a scored passed/failed statement needs the launch's masteryScore extension (cmi5 9.6.3.2-2)"
        if scaled is not None and verb == VERB_PASSED and scaled < mastery:
            return "a passed statement's scaled score is below the masteryScore (cmi5 9.3.4.0-2)"
        if scaled is not None and verb == VERB_FAILED and scaled >= mastery:
            return "a failed statement's scaled score reaches the masteryScore (cmi5 9.3.5.0-2)"
    return None


def check_learner_preferences(content_type: str | None, body: bytes) -> str | None:
    """Why the LMS refuses an AU's write of its ``cmi5LearnerPreferences`` agent profile (403, which cmi5 §11 tells
    the AU not to treat as an error), or None: a JSON object with both properties, a language list of tags."""
    if not (content_type or "").lower().startswith("application/json"):
        return "the learner preferences document must be application/json (cmi5 11.0.0.0-5)"
    try:
        document = json.loads(body)
    except ValueError:
        return "the learner preferences document must be JSON (cmi5 11.0.0.0-5)"
    if not isinstance(document, dict) or "languagePreference" not in document or "audioPreference" not in document:
        return "the learner preferences must be an object with languagePreference and audioPreference (cmi5 11.0.0.0-5)"
    language = document["languagePreference"]
    if not isinstance(language, str) or not _LANGUAGE_LIST.fullmatch(language):
        return "languagePreference must be a comma-separated list of RFC 5646 language tags (cmi5 11.1.0.0-1)"
    if document["audioPreference"] not in ("on", "off"):
        return "audioPreference must be 'on' or 'off' (cmi5 11.2)"
    return None


def advance(state: Mapping[str, Any], statement: Mapping[str, Any], stored_at: str) -> dict[str, Any]:
    """The state once an accepted statement is recorded."""
    verb = _obj(statement.get("verb")).get("id")
    new = {**state, "lastAt": stored_at}
    context = _obj(statement.get("context"))
    activities = _obj(context.get("contextActivities"))
    defined = CATEGORY_CMI5 in _ids(activities.get("category"))
    if verb == VERB_INITIALIZED:
        new["initialized"] = True
    if verb == VERB_TERMINATED:
        new["terminated"] = True
    if defined and verb in AU_VERBS:
        new["verbs"] = [*(state.get("verbs") or []), verb]
        facts = dict(state.get("registrationFacts") or {})
        for name, verb_id in (("completed", VERB_COMPLETED), ("passed", VERB_PASSED), ("failed", VERB_FAILED)):
            if verb == verb_id:
                facts[name] = True
        new["registrationFacts"] = facts
    return new


def move_on_met(move_on: str, completed: bool, passed: bool) -> bool:
    """Whether an AU with this moveOn counts as done (cmi5 §9.3.9; NotApplicable always does, §9.6.1.1-3)."""
    if move_on == "Passed":
        return passed
    if move_on == "Completed":
        return completed
    if move_on == "CompletedAndPassed":
        return completed and passed
    if move_on == "CompletedOrPassed":
        return completed or passed
    return True


def satisfied_nodes(nodes: list[Mapping[str, Any]], met: Iterable[int]) -> list[int]:
    """The blocks and the course (plan nodes without an href) whose AUs have all met their moveOn, innermost
    first (the order the LMS reports them: each block before the course). ``met`` is the AUs' node indices."""
    done = set(met)
    found: list[int] = []
    for index in sorted(range(len(nodes)), key=lambda i: -nodes[i]["depth"]):
        node = nodes[index]
        if node["href"] or node.get("own"):
            continue
        aus = [i for i in _descendants(nodes, index) if nodes[i]["href"]]
        if aus and all(i in done for i in aus):
            found.append(index)
    return found


def _descendants(nodes: list[Mapping[str, Any]], index: int) -> list[int]:
    out: list[int] = []
    frontier = [index]
    while frontier:
        parent = frontier.pop()
        kids = [i for i, node in enumerate(nodes) if node["parent"] == parent]
        out.extend(kids)
        frontier.extend(kids)
    return out
