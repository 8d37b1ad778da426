"""Turning uploaded packages into courses: safe zip handling plus one parser per learning standard."""

from coursehost.packages.archive import Archive, ArchiveLimits, open_archive
from coursehost.packages.base import Activity, CourseMetadata, PackageError, ParsedCourse

__all__ = ["Activity", "Archive", "ArchiveLimits", "CourseMetadata", "PackageError", "ParsedCourse", "open_archive"]
