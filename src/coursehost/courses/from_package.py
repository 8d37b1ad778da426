"""What a parsed package says about a course version, written onto its row: the one mapping from a package to a
version, used when an import publishes a version and when an asset upload replaces a version's descriptor."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from coursehost.courses.activity_ids import version_activity_iri
from coursehost.kit.caps import fit_title
from coursehost.models import CourseVersion
from coursehost.packages import Activity, Package, ParsedCourse


def describe_version(version: CourseVersion, package: Package, *, app_id: str, course_id: str) -> None:
    """Set the version's title, standard, kind, xAPI activity IRI, activity tree, metadata, languages and parser
    warnings from the package. A title over the cap is cut, with a ``parserWarnings`` entry saying so (the
    package's ``parsed`` is updated too, so the import result reports the same)."""
    parsed = package.parsed
    fit_parsed_title(parsed)
    version.title = parsed.title
    version.learning_standard = parsed.standard
    version.package_kind = package.kind
    version.xapi_activity_id = version_activity_iri(app_id, course_id, parsed)
    version.root_activity = activity_to_wire(parsed.root_activity)
    version.course_metadata = metadata_to_wire(parsed)
    version.languages = parsed.languages
    version.parser_warnings = parsed.warnings


def fit_parsed_title(parsed: ParsedCourse) -> None:
    """Store a title no longer than the cap (``kit.caps.fit_title``), saying so in ``parserWarnings``: a real-world
    package with an overlong title still imports. Fitting a fitted title changes nothing."""
    parsed.title, warning = fit_title(parsed.title)
    if warning:
        parsed.warnings.append(warning)


def activity_to_wire(activity: Activity) -> dict[str, Any]:
    wire = {
        "externalIdentifier": activity.external_identifier,
        "itemIdentifier": activity.item_identifier,
        "resourceIdentifier": activity.resource_identifier,
        "activityType": activity.activity_type,
        "href": activity.href,
        "scaledPassingScore": activity.scaled_passing_score,
        "title": activity.title,
        "children": [activity_to_wire(child) for child in activity.children],
    }
    return {k: v for k, v in wire.items() if v is not None}


def metadata_to_wire(parsed: ParsedCourse) -> dict[str, Any] | None:
    if parsed.metadata is None:
        return None
    data = asdict(parsed.metadata)
    wire = {
        "title": data["title"],
        "titleLanguage": data["title_language"],
        "description": data["description"],
        "descriptionLanguage": data["description_language"],
        "duration": data["duration"],
        "typicalTime": data["typical_time"],
        "keywords": data["keywords"],
    }
    return {k: v for k, v in wire.items() if v not in (None, [])}
