"""A version's files as a zip package, written to a temporary file and streamed from there."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from coursehost.content.store import ContentStore
from coursehost.models import VersionFile


def build_zip(content: ContentStore, app_pk: int, files: list[VersionFile]) -> Path:
    handle, path = content.storage.temp_file()
    try:
        with handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            for file in files:
                with content.open(app_pk, file.sha256) as src, archive.open(file.path, "w", force_zip64=True) as dst:
                    shutil.copyfileobj(src, dst, 1024 * 1024)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path
