"""A statement checked against xAPI 2.0.0 (IEEE 9274.1.1 §4.2) or 1.0.3 (Data §2 and §4), with no database.

``check_statement`` raises :class:`InvalidStatement` (a 400) naming the first property that is wrong and why. The
differences between the versions: 2.0.0 adds ``contextAgents``/``contextGroups`` and accepts ``version`` 2.0.x;
1.0.3 refuses them.
"""

from __future__ import annotations

from typing import Any

from coursehost.kit.errors import BadRequest
from coursehost.xapi import formats
from coursehost.xapi.versions import XapiVersion

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"

_STATEMENT = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority", "version",
              "attachments"}  # fmt: skip
# A SubStatement MUST NOT have id, stored, version or authority (2.0.0 §4.2.2.3, 1.0.3 Data 2.4.4.3).
_SUB_STATEMENT = {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
_AGENT = {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}
_GROUP = _AGENT | {"member"}
_IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
_ACTIVITY_DEFINITION = {"name", "description", "type", "moreInfo", "extensions", "interactionType",
                        "correctResponsesPattern", "choices", "scale", "source", "target", "steps"}  # fmt: skip
_INTERACTION_TYPES = {
    "true-false": set(),
    "choice": {"choices"},
    "fill-in": set(),
    "long-fill-in": set(),
    "matching": {"source", "target"},
    "performance": {"steps"},
    "sequencing": {"choices"},
    "likert": {"scale"},
    "numeric": set(),
    "other": set(),
}
_COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
_CONTEXT = {"registration", "instructor", "team", "contextActivities", "revision", "platform", "language",
            "statement", "extensions"}  # fmt: skip
_CONTEXT_V2 = _CONTEXT | {"contextAgents", "contextGroups"}
_CONTEXT_ACTIVITIES = {"parent", "grouping", "category", "other"}
_RESULT = {"score", "success", "completion", "response", "duration", "extensions"}
_SCORE = {"scaled", "raw", "min", "max"}
_ATTACHMENT = {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}


class InvalidStatement(BadRequest):
    pass


def check_statement(statement: Any, version: XapiVersion) -> None:
    """Raise :class:`InvalidStatement` unless ``statement`` is a valid statement in ``version``."""
    _Checker(version).statement(statement, "statement")


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Checker:
    def __init__(self, version: XapiVersion) -> None:
        self.version = version

    def fail(self, where: str, why: str) -> InvalidStatement:
        return InvalidStatement(f"Invalid statement: {where} {why}")

    def obj(self, value: Any, where: str, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "must be a JSON object")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail(where, f"has a property this version of xAPI does not define: {unknown[0]!r}")
        for key, item in value.items():
            if item is None:  # null is no value: xAPI has no optional property whose value may be null
                raise self.fail(f"{where}.{key}", "must not be null")
        return value

    def string(self, value: Any, where: str) -> str:
        if not isinstance(value, str):
            raise self.fail(where, "must be a string")
        return value

    def boolean(self, value: Any, where: str) -> None:
        if not isinstance(value, bool):
            raise self.fail(where, "must be true or false")

    def iri(self, value: Any, where: str) -> None:
        if not formats.is_iri(value):
            raise self.fail(where, f"must be an absolute IRI (got {_show(value)})")

    def uuid(self, value: Any, where: str) -> None:
        if not formats.is_uuid(value):
            raise self.fail(where, f"must be a UUID (got {_show(value)})")

    def timestamp(self, value: Any, where: str) -> None:
        if formats.parse_timestamp(value) is None:
            raise self.fail(where, f"must be an ISO 8601 timestamp with a known offset (got {_show(value)})")

    def language_map(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise self.fail(where, "must be a language map (an object of language tags to strings)")
        for tag, text in value.items():
            if not formats.is_language_tag(tag):
                raise self.fail(where, f"has a key that is not an RFC 5646 language tag: {_show(tag)}")
            if not isinstance(text, str):
                raise self.fail(f"{where}[{tag!r}]", "must be a string")

    def extensions(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise self.fail(where, "must be an object whose keys are IRIs")
        for key in value:
            if not formats.is_iri(key):
                raise self.fail(where, f"has a key that is not an IRI: {_show(key)}")

    def array(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, "must be an array")
        return value

    # --- the statement ---

    def statement(self, value: Any, where: str) -> None:
        st = self.obj(value, where, _STATEMENT)
        if "id" in st:
            self.uuid(st["id"], f"{where}.id")
        for required in ("actor", "verb", "object"):
            if required not in st:
                raise self.fail(where, f"has no {required!r}")
        self.actor(st["actor"], f"{where}.actor")
        self.verb(st["verb"], f"{where}.verb")
        self.object(st["object"], f"{where}.object", sub=False)
        self.common(st, where)
        if "stored" in st:
            self.timestamp(st["stored"], f"{where}.stored")
        if "authority" in st:
            self.authority(st["authority"], f"{where}.authority")
        if "version" in st:
            self.statement_version(st["version"], f"{where}.version")
        if st["verb"].get("id") == VOIDED:
            target = st["object"]
            if not (isinstance(target, dict) and target.get("objectType") == "StatementRef"):
                raise self.fail(f"{where}.object", "of a voiding statement must be a StatementRef")

    def common(self, st: dict[str, Any], where: str) -> None:
        """What statements and SubStatements share: result, context, timestamp, attachments."""
        if "result" in st:
            self.result(st["result"], f"{where}.result")
        if "context" in st:
            self.context(st["context"], f"{where}.context", st["object"])
        if "timestamp" in st:
            self.timestamp(st["timestamp"], f"{where}.timestamp")
        if "attachments" in st:
            for i, attachment in enumerate(self.array(st["attachments"], f"{where}.attachments")):
                self.attachment(attachment, f"{where}.attachments[{i}]")

    def statement_version(self, value: Any, where: str) -> None:
        accepted = ("1.0",) if self.version is XapiVersion.V1 else ("1.0", "2.0")
        text = self.string(value, where)
        parts = text.split(".")
        ok = ".".join(parts[:2]) in accepted and len(parts) in (2, 3) and all(p.isdigit() for p in parts)
        if not ok:
            raise self.fail(where, f"must be a version this LRS accepts ({' or '.join(a + '.x' for a in accepted)})")

    # --- actors ---

    def actor(self, value: Any, where: str) -> None:
        if isinstance(value, dict) and value.get("objectType") == "Group":
            self.group(value, where)
        else:
            self.agent(value, where)

    def agent(self, value: Any, where: str) -> None:
        agent = self.obj(value, where, _AGENT)
        if "objectType" in agent and agent["objectType"] != "Agent":
            raise self.fail(f"{where}.objectType", f"must be 'Agent' (got {_show(agent['objectType'])})")
        if "name" in agent:
            self.string(agent["name"], f"{where}.name")
        if self.ifis(agent, where) != 1:
            raise self.fail(where, "must have exactly one inverse functional identifier (mbox, mbox_sha1sum, "
                            "openid or account)")  # fmt: skip

    def group(self, value: Any, where: str) -> None:
        group = self.obj(value, where, _GROUP)
        if "name" in group:
            self.string(group["name"], f"{where}.name")
        count = self.ifis(group, where)
        if count > 1:
            raise self.fail(where, "must have at most one inverse functional identifier")
        if "member" in group:
            for i, member in enumerate(self.array(group["member"], f"{where}.member")):
                if isinstance(member, dict) and member.get("objectType") == "Group":
                    raise self.fail(f"{where}.member[{i}]", "must be an Agent (a group cannot contain a group)")
                self.agent(member, f"{where}.member[{i}]")
        if count == 0 and not group.get("member"):
            raise self.fail(where, "is an anonymous group and must list its members")

    def ifis(self, agent: dict[str, Any], where: str) -> int:
        if "mbox" in agent and not formats.is_mailto(agent["mbox"]):
            raise self.fail(f"{where}.mbox", f"must be a mailto IRI (got {_show(agent['mbox'])})")
        if "mbox_sha1sum" in agent and not formats.is_sha1(agent["mbox_sha1sum"]):
            raise self.fail(f"{where}.mbox_sha1sum", "must be a SHA-1 as 40 hexadecimal digits")
        if "openid" in agent:
            self.iri(agent["openid"], f"{where}.openid")
        if "account" in agent:
            account = self.obj(agent["account"], f"{where}.account", {"homePage", "name"})
            if "homePage" not in account or "name" not in account:
                raise self.fail(f"{where}.account", "must have both homePage and name")
            self.iri(account["homePage"], f"{where}.account.homePage")
            self.string(account["name"], f"{where}.account.name")
        return sum(1 for ifi in _IFIS if ifi in agent)

    def authority(self, value: Any, where: str) -> None:
        self.actor(value, where)
        # A Group is an authority only as OAuth's pair: an anonymous group of the consumer and the user
        # (2.0.0 §4.2.4.2, XAPI-00100).
        group = isinstance(value, dict) and value.get("objectType") == "Group"
        if group and (any(ifi in value for ifi in _IFIS) or len(value.get("member", [])) != 2):
            raise self.fail(where, "as a Group must be an anonymous group of exactly two agents (OAuth)")

    # --- verb and object ---

    def verb(self, value: Any, where: str) -> None:
        verb = self.obj(value, where, {"id", "display"})
        if "id" not in verb:
            raise self.fail(where, "has no 'id'")
        self.iri(verb["id"], f"{where}.id")
        if "display" in verb:
            self.language_map(verb["display"], f"{where}.display")

    def object(self, value: Any, where: str, *, sub: bool) -> None:
        if not isinstance(value, dict):
            raise self.fail(where, "must be a JSON object")
        kind = value.get("objectType", "Activity")
        if kind == "Activity":
            self.activity(value, where)
        elif kind == "Agent":
            self.agent(value, where)
        elif kind == "Group":
            self.group(value, where)
        elif kind == "StatementRef":
            self.statement_ref(value, where)
        elif kind == "SubStatement" and not sub:
            self.sub_statement(value, where)
        elif kind == "SubStatement":
            raise self.fail(where, "is a SubStatement inside a SubStatement, which xAPI forbids")
        else:
            raise self.fail(f"{where}.objectType", f"is not a known object type (got {_show(kind)})")

    def statement_ref(self, value: Any, where: str) -> None:
        ref = self.obj(value, where, {"objectType", "id"})
        if ref.get("objectType") != "StatementRef":
            raise self.fail(f"{where}.objectType", "must be 'StatementRef'")
        self.uuid(ref.get("id"), f"{where}.id")

    def sub_statement(self, value: Any, where: str) -> None:
        forbidden = sorted({"id", "stored", "version", "authority"} & set(value))
        if forbidden:
            raise self.fail(where, f"is a SubStatement and must not have {forbidden[0]!r}")
        sub = self.obj(value, where, _SUB_STATEMENT)
        for required in ("actor", "verb", "object"):
            if required not in sub:
                raise self.fail(where, f"has no {required!r}")
        self.actor(sub["actor"], f"{where}.actor")
        self.verb(sub["verb"], f"{where}.verb")
        self.object(sub["object"], f"{where}.object", sub=True)
        self.common(sub, where)

    def activity(self, value: Any, where: str) -> None:
        activity = self.obj(value, where, {"objectType", "id", "definition"})
        if "id" not in activity:
            raise self.fail(where, "is an Activity and has no 'id'")
        self.iri(activity["id"], f"{where}.id")
        if "definition" in activity:
            self.definition(activity["definition"], f"{where}.definition")

    def definition(self, value: Any, where: str) -> None:
        definition = self.obj(value, where, _ACTIVITY_DEFINITION)
        for key in ("name", "description"):
            if key in definition:
                self.language_map(definition[key], f"{where}.{key}")
        for key in ("type", "moreInfo"):
            if key in definition:
                self.iri(definition[key], f"{where}.{key}")
        if "extensions" in definition:
            self.extensions(definition["extensions"], f"{where}.extensions")
        lists = [key for key in _COMPONENT_LISTS if key in definition]
        kind = definition.get("interactionType")
        if kind is None:
            if lists or "correctResponsesPattern" in definition:
                raise self.fail(where, "has interaction properties but no interactionType")
            return
        if not isinstance(kind, str) or kind not in _INTERACTION_TYPES:
            raise self.fail(f"{where}.interactionType", f"is not an interaction type (got {_show(kind)})")
        misplaced = [key for key in lists if key not in _INTERACTION_TYPES[kind]]
        if misplaced:
            raise self.fail(where, f"has {misplaced[0]!r}, which a {kind!r} interaction does not have")
        if "correctResponsesPattern" in definition:
            patterns = self.array(definition["correctResponsesPattern"], f"{where}.correctResponsesPattern")
            for i, pattern in enumerate(patterns):
                self.string(pattern, f"{where}.correctResponsesPattern[{i}]")
        for key in lists:
            seen: set[str] = set()
            for i, component in enumerate(self.array(definition[key], f"{where}.{key}")):
                item = self.obj(component, f"{where}.{key}[{i}]", {"id", "description"})
                component_id = self.string(item.get("id"), f"{where}.{key}[{i}].id")
                if component_id in seen:
                    raise self.fail(f"{where}.{key}", f"repeats the id {component_id!r}")
                seen.add(component_id)
                if "description" in item:
                    self.language_map(item["description"], f"{where}.{key}[{i}].description")

    # --- result, context, attachments ---

    def result(self, value: Any, where: str) -> None:
        result = self.obj(value, where, _RESULT)
        if "score" in result:
            self.score(result["score"], f"{where}.score")
        for key in ("success", "completion"):
            if key in result:
                self.boolean(result[key], f"{where}.{key}")
        if "response" in result:
            self.string(result["response"], f"{where}.response")
        if "duration" in result and not formats.is_duration(result["duration"]):
            raise self.fail(f"{where}.duration", f"must be an ISO 8601 duration (got {_show(result['duration'])})")
        if "extensions" in result:
            self.extensions(result["extensions"], f"{where}.extensions")

    def score(self, value: Any, where: str) -> None:
        score = self.obj(value, where, _SCORE)
        for key, item in score.items():
            if not _number(item):
                raise self.fail(f"{where}.{key}", "must be a number")
        if "scaled" in score and not -1 <= score["scaled"] <= 1:
            raise self.fail(f"{where}.scaled", "must be between -1 and 1")
        low, high, raw = score.get("min"), score.get("max"), score.get("raw")
        if low is not None and high is not None and low >= high:
            raise self.fail(where, "has a min that is not less than its max")
        if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
            raise self.fail(f"{where}.raw", "must be between min and max")

    def context(self, value: Any, where: str, target: Any) -> None:
        allowed = _CONTEXT if self.version is XapiVersion.V1 else _CONTEXT_V2
        context = self.obj(value, where, allowed)
        if "registration" in context:
            self.uuid(context["registration"], f"{where}.registration")
        if "instructor" in context:
            self.actor(context["instructor"], f"{where}.instructor")
        if "team" in context:
            team = context["team"]
            if not (isinstance(team, dict) and team.get("objectType") == "Group"):
                raise self.fail(f"{where}.team", "must be a Group")
            self.group(team, f"{where}.team")
        if "contextActivities" in context:
            self.context_activities(context["contextActivities"], f"{where}.contextActivities")
        is_activity = isinstance(target, dict) and target.get("objectType", "Activity") == "Activity"
        for key in ("revision", "platform"):
            if key in context:
                self.string(context[key], f"{where}.{key}")
                if not is_activity:
                    raise self.fail(f"{where}.{key}", "is only allowed when the statement's object is an Activity")
        if "language" in context and not formats.is_language_tag(context["language"]):
            raise self.fail(f"{where}.language", f"must be an RFC 5646 language tag (got {_show(context['language'])})")
        if "statement" in context:
            self.statement_ref(context["statement"], f"{where}.statement")
        if "extensions" in context:
            self.extensions(context["extensions"], f"{where}.extensions")
        for key, kind, member in (
            ("contextAgents", "contextAgent", "agent"),
            ("contextGroups", "contextGroup", "group"),
        ):
            if key in context:
                for i, item in enumerate(self.array(context[key], f"{where}.{key}")):
                    self.context_actor(item, f"{where}.{key}[{i}]", kind, member)

    def context_actor(self, value: Any, where: str, kind: str, member: str) -> None:
        item = self.obj(value, where, {"objectType", member, "relevantTypes"})
        if item.get("objectType") != kind:
            raise self.fail(f"{where}.objectType", f"must be {kind!r}")
        if member not in item:
            raise self.fail(where, f"has no {member!r}")
        if member == "agent":
            self.agent(item["agent"], f"{where}.agent")
        else:
            if not (isinstance(item["group"], dict) and item["group"].get("objectType") == "Group"):
                raise self.fail(f"{where}.group", "must be a Group")
            self.group(item["group"], f"{where}.group")
        if "relevantTypes" in item:
            types = self.array(item["relevantTypes"], f"{where}.relevantTypes")
            if not types:
                raise self.fail(f"{where}.relevantTypes", "must not be empty")
            for i, iri in enumerate(types):
                self.iri(iri, f"{where}.relevantTypes[{i}]")

    def context_activities(self, value: Any, where: str) -> None:
        activities = self.obj(value, where, _CONTEXT_ACTIVITIES)
        for key, item in activities.items():
            items = item if isinstance(item, list) else [item]
            for i, activity in enumerate(items):
                if isinstance(activity, dict) and activity.get("objectType", "Activity") != "Activity":
                    raise self.fail(f"{where}.{key}[{i}]", "must be an Activity")
                self.activity(activity, f"{where}.{key}[{i}]")

    def attachment(self, value: Any, where: str) -> None:
        attachment = self.obj(value, where, _ATTACHMENT)
        for required in ("usageType", "display", "contentType", "length", "sha2"):
            if required not in attachment:
                raise self.fail(where, f"has no {required!r}")
        self.iri(attachment["usageType"], f"{where}.usageType")
        self.language_map(attachment["display"], f"{where}.display")
        if "description" in attachment:
            self.language_map(attachment["description"], f"{where}.description")
        content_type = self.string(attachment["contentType"], f"{where}.contentType")
        if "/" not in content_type or " " in content_type.split(";")[0]:
            raise self.fail(f"{where}.contentType", f"must be an Internet media type (got {_show(content_type)})")
        length = attachment["length"]
        if not isinstance(length, int) or isinstance(length, bool) or length < 0:
            raise self.fail(f"{where}.length", "must be a non-negative integer")
        if not formats.is_sha2(attachment["sha2"]):
            raise self.fail(f"{where}.sha2", "must be a SHA-2 hash in hexadecimal")
        if "fileUrl" in attachment:
            self.iri(attachment["fileUrl"], f"{where}.fileUrl")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:80] + "…"
