"""Which formats coursehost imports, and how the format and course root of a package are found.

The registry is an explicit tuple rather than import-time self-registration so the order of detection is
visible in one place. The order is also the priority when one folder holds several descriptors: exports that
carry more than one (a SCORM manifest plus a tincan.xml, typically) are SCORM packages first, and the
manifest describes their structure best.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coursehost.packages.aicc import AiccFormat
from coursehost.packages.base import PackageError, PackageFormat
from coursehost.packages.cmi5 import Cmi5Format
from coursehost.packages.media import MediaPackageFormat
from coursehost.packages.scorm import ScormFormat
from coursehost.packages.xapi import XapiFormat

# coursehost-media.json comes last: it only appears in coursehost's own exports of media courses.
FORMATS: tuple[PackageFormat, ...] = (ScormFormat(), Cmi5Format(), XapiFormat(), AiccFormat(), MediaPackageFormat())


@dataclass(frozen=True)
class Detection:
    format: PackageFormat
    root: str
    """The course root inside the zip: ``''`` or a folder path ending in ``/``."""
    warnings: tuple[str, ...] = ()


def detect(names: Iterable[str], formats: tuple[PackageFormat, ...] = FORMATS) -> Detection:
    """Pick the format and course root from the package's file names (normalised, posix, no folders).

    A descriptor at the zip root wins; otherwise the first format (in priority order) with descriptors in
    exactly one folder makes that folder the course root. Several candidate folders are refused rather than
    guessed at, since picking the wrong one would import the wrong course.
    """
    names = list(names)
    hits = {fmt.name: sorted(n for n in names if fmt.matches(_basename(n).lower())) for fmt in formats}
    at_root = [fmt for fmt in formats if any(_folder(n) == "" for n in hits[fmt.name])]
    if at_root:
        return _choose(at_root, hits, "", [])
    for fmt in formats:
        folders = sorted({_folder(n) for n in hits[fmt.name]})
        if len(folders) == 1:
            root = folders[0]
            warning = (
                f"The manifest was found in the folder '{root}' rather than at the package root; "
                "that folder was used as the course root."
            )
            present = [f for f in formats if any(_folder(n) == root for n in hits[f.name])]
            return _choose(present, hits, root, [warning])
        if folders:
            listed = ", ".join(f"'{n}'" for n in hits[fmt.name])
            raise PackageError(
                f"The package has no course descriptor at its root but several in folders ({listed}); "
                "put the course's descriptor at the root of the zip"
            )
    raise PackageError(no_descriptor_message(formats))


def no_descriptor_message(formats: Sequence[PackageFormat] = FORMATS) -> str:
    # A media course's descriptor is coursehost's own export format; users import media files directly.
    labels = [fmt.label for fmt in formats if fmt.name != "media"]
    wanted = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
    return f"No course descriptor was found in the package: expected {wanted} at its root"


def _choose(present: list[PackageFormat], hits: dict[str, list[str]], root: str, warnings: list[str]) -> Detection:
    chosen = present[0]
    own = [n for n in hits[chosen.name] if _folder(n) == root]
    _refuse_case_variants(own, root)
    if present[1:]:
        others = [n[len(root) :] for fmt in present[1:] for n in hits[fmt.name] if _folder(n) == root]
        used = ", ".join(n[len(root) :] for n in own)
        warnings.append(
            f"The package also has {', '.join(others)} beside {used}; it was imported as {chosen.label} "
            "and the other descriptors were ignored."
        )
    return Detection(chosen, root, tuple(warnings))


def _refuse_case_variants(files: list[str], root: str) -> None:
    """Refuse 'IMSManifest.xml' beside 'ImsManifest.XML': nothing says which one the author meant."""
    groups: dict[str, list[str]] = {}
    for name in files:
        groups.setdefault(_basename(name).lower(), []).append(name)
    for lower, group in groups.items():
        if len(group) > 1 and root + lower not in group:
            listed = ", ".join(f"'{n}'" for n in group)
            where = "at its root" if not root else f"in the folder '{root}'"
            raise PackageError(f"The package has several {lower} files {where} ({listed}); keep only one")


def _basename(name: str) -> str:
    return name.rsplit("/", 1)[-1]


def _folder(name: str) -> str:
    return name.rsplit("/", 1)[0] + "/" if "/" in name else ""
