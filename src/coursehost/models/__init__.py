"""Tables. Every row that belongs to a customer hangs off an application, so isolation is one join away.

One module per area; this package re-exports every table, so ``from coursehost.models import Course`` and
``Base.metadata`` (migrations, tests) see them all."""

from __future__ import annotations

from coursehost.models.auth_limits import AuthFailure, AuthTrust
from coursehost.models.base import NAMING, Base, utcnow
from coursehost.models.cache_events import CacheEvent
from coursehost.models.core import (
    Application,
    Blob,
    ConfigurationSetting,
    Course,
    CourseTag,
    CourseVersion,
    ImportJob,
    PlayerRuntime,
    PlayerSession,
    VersionFile,
)
from coursehost.models.xapi_credentials import XapiCredential
from coursehost.models.xapi_documents import XapiDocument
from coursehost.models.xapi_launch import XapiLaunchToken
from coursehost.models.xapi_links import XapiStatementLink, XapiVersionActivity
from coursehost.models.xapi_statements import (
    XapiActivity,
    XapiAttachment,
    XapiStatement,
    XapiStatementActivity,
    XapiStatementAgent,
)

__all__ = [
    "Application",
    "AuthFailure",
    "AuthTrust",
    "Base",
    "Blob",
    "CacheEvent",
    "ConfigurationSetting",
    "Course",
    "CourseTag",
    "CourseVersion",
    "ImportJob",
    "NAMING",
    "PlayerRuntime",
    "PlayerSession",
    "VersionFile",
    "XapiActivity",
    "XapiAttachment",
    "XapiCredential",
    "XapiDocument",
    "XapiLaunchToken",
    "XapiStatement",
    "XapiStatementActivity",
    "XapiStatementAgent",
    "XapiStatementLink",
    "XapiVersionActivity",
    "utcnow",
]
