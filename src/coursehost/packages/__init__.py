"""Turning uploaded packages into courses: safe zip handling plus one parser per learning standard.

:func:`open_package` is the way in: it decides what kind of package arrived and parses it (``opening.py``).
"""

from coursehost.packages.archive import Archive, open_archive
from coursehost.packages.base import (
    LEARNING_STANDARDS,
    Activity,
    CourseMetadata,
    LearningStandard,
    PackageError,
    ParsedCourse,
)
from coursehost.packages.limits import ArchiveLimits
from coursehost.packages.opening import (
    OpenPackage,
    Package,
    Source,
    accepted_content_type,
    is_descriptor,
    open_package,
    parse_in_place,
)

__all__ = [
    "LEARNING_STANDARDS",
    "Activity",
    "Archive",
    "ArchiveLimits",
    "CourseMetadata",
    "LearningStandard",
    "OpenPackage",
    "Package",
    "PackageError",
    "ParsedCourse",
    "Source",
    "accepted_content_type",
    "is_descriptor",
    "open_package",
    "open_archive",
    "parse_in_place",
]
