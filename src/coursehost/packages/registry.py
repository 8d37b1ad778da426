"""Which formats coursehost imports, and how the course root of a package is found.

The registry is an explicit tuple rather than import-time self-registration so the order of detection is
visible in one place; AICC, cmi5 and xAPI parsers will be added here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from coursehost.packages.base import PackageError, PackageFormat
from coursehost.packages.scorm import ScormFormat

FORMATS: tuple[PackageFormat, ...] = (ScormFormat(),)

_NEEDS = {"scorm": "a SCORM package needs one at its root"}


@dataclass(frozen=True)
class Detection:
    format: PackageFormat
    root: str
    """The course root inside the zip: ``''`` or a folder path ending in ``/``."""
    warnings: tuple[str, ...] = ()


def detect(names: Iterable[str], formats: tuple[PackageFormat, ...] = FORMATS) -> Detection:
    """Pick the format and course root from the package's file names (normalised, posix, no folders)."""
    names = list(names)
    nested: dict[str, list[str]] = {}
    for fmt in formats:
        descriptor = fmt.descriptor().lower()
        candidates = sorted(n for n in names if n.rsplit("/", 1)[-1].lower() == descriptor)
        at_root = [n for n in candidates if "/" not in n]
        if len(at_root) > 1 and descriptor not in at_root:
            listed = ", ".join(f"'{n}'" for n in at_root)
            raise PackageError(f"The package has several {descriptor} files at its root ({listed}); keep only one")
        if at_root:
            return Detection(fmt, "")
        nested[fmt.name] = candidates
    for fmt in formats:
        candidates = nested[fmt.name]
        if len(candidates) == 1:
            root = candidates[0].rsplit("/", 1)[0] + "/"
            warning = (
                f"The manifest was found in the folder '{root}' rather than at the package root; "
                "that folder was used as the course root."
            )
            return Detection(fmt, root, (warning,))
        if candidates:
            listed = ", ".join(f"'{n}'" for n in candidates)
            raise PackageError(
                f"The package has no {fmt.descriptor()} at its root but several in folders ({listed}); "
                "put the course's descriptor at the root of the zip"
            )
    wanted = " or ".join(fmt.descriptor() for fmt in formats)
    needs = "; ".join(_NEEDS.get(fmt.name, f"a {fmt.name} package needs one at its root") for fmt in formats)
    raise PackageError(f"No {wanted} was found in the package; {needs}")
