"""Which SCORM edition a manifest is: its ``schemaversion`` when that is recognised, otherwise inferred.

SCORM 1.1 and 1.2 share a run-time API but are distinct values of ``courseLearningStandard``, and manifests in the
wild often omit ``schemaversion`` altogether, so the namespaces (and a few edition-only elements) decide.
"""

from __future__ import annotations

from lxml import etree

from coursehost.packages.base import LearningStandard
from coursehost.packages.xml import attr, child, children, local_name, text

_EDITIONS: dict[str, LearningStandard] = {
    "1.1": "SCORM11",
    "1.2": "SCORM12",
    "1.3": "SCORM20042NDEDITION",
    "cam 1.3": "SCORM20042NDEDITION",
    "2004 2nd edition": "SCORM20042NDEDITION",
    "2004 3rd edition": "SCORM20043RDEDITION",
    "2004 4th edition": "SCORM20044THEDITION",
}
LABELS: dict[LearningStandard, str] = {
    "SCORM11": "SCORM 1.1",
    "SCORM12": "SCORM 1.2",
    "SCORM20042NDEDITION": "SCORM 2004 2nd Edition",
    "SCORM20043RDEDITION": "SCORM 2004 3rd Edition",
    "SCORM20044THEDITION": "SCORM 2004 4th Edition",
}
# Matched inside namespace URIs; 'imscp_v1p1' is not a substring of the 1.x 'imscp_rootv1p1...' names.
_MARKERS_2004 = ("adlcp_v1p3", "imsss", "adlseq", "adlnav", "imscp_v1p1")
# 'adlcp_rootv1p1p2' is a common misspelling of the SCORM 1.2 namespace, not a SCORM 1.1 one.
_MARKERS_12 = ("adlcp_rootv1p2", "imscp_rootv1p1p2", "adlcp_rootv1p1p2")
# Compared with the last path segment of a namespace URI, since the 1.2 names start with these.
_NAMES_11 = frozenset({"imscp_rootv1p1", "adlcp_rootv1p1"})
_THRESHOLD_BY_MEASURE = ("completedbymeasure", "minprogressmeasure", "progressweight")


def scorm_edition(manifest: etree._Element) -> tuple[LearningStandard, str | None]:
    """The manifest's edition, plus a warning when it had to be inferred."""
    metadata = child(manifest, "metadata")
    declared = text(child(metadata, "schemaversion"))
    if declared:
        key = declared.lower().removeprefix("scorm").strip()
        if key in _EDITIONS:
            return _EDITIONS[key], None
    standard, why = _inferred(manifest, text(child(metadata, "schema")) or "")
    what = f"an unrecognised schemaversion '{declared}'" if declared else "no schemaversion"
    return standard, f"The manifest has {what}; it was read as {LABELS[standard]} because {why}."


def _inferred(manifest: etree._Element, schema: str) -> tuple[LearningStandard, str]:
    uris = {(uri or "").strip().lower().rstrip("/") for node in manifest.iter() for uri in node.nsmap.values()}
    if any(marker in uri for uri in uris for marker in _MARKERS_2004):
        if _uses_4th_edition_features(manifest):
            return "SCORM20044THEDITION", "it uses SCORM 2004 4th Edition features"
        return "SCORM20043RDEDITION", "it uses SCORM 2004 namespaces"
    if any(marker in uri for uri in uris for marker in _MARKERS_12):
        return "SCORM12", "it uses SCORM 1.2 namespaces"
    if any(uri.rsplit("/", 1)[-1] in _NAMES_11 for uri in uris):
        return "SCORM11", "it uses SCORM 1.1 namespaces"
    if schema.lower().replace(" ", "").endswith("scorm1.1"):
        return "SCORM11", f"its schema is '{schema}'"
    return "SCORM12", "nothing in it points to SCORM 2004"


def _uses_4th_edition_features(manifest: etree._Element) -> bool:
    """Shared data maps, adlseq objectives and measure-based completion thresholds are new in 4th Edition."""
    for node in manifest.iter():
        name = local_name(node)
        if name == "completionthreshold" and any(attr(node, a) is not None for a in _THRESHOLD_BY_MEASURE):
            return True
        if name == "data" and children(node, "map"):
            return True
        if name == "objectives" and "adlseq" in str(node.tag).lower():
            return True
    return False
