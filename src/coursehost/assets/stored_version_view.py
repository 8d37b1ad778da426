"""A :class:`~coursehost.packages.base.PackageView` over a stored version, so a changed descriptor can be parsed
by the same format code that imported it, before the change is accepted."""

from __future__ import annotations

from coursehost.content.store import ContentStore
from coursehost.models import VersionFile
from coursehost.packages.base import PackageError, href_path


class StoredVersionView:
    def __init__(self, content: ContentStore, app_pk: int, files: list[VersionFile], overlay: dict[str, bytes]):
        self._content = content
        self._app_pk = app_pk
        self._files = {f.path: f for f in files}
        self._overlay = overlay
        self._names = frozenset(self._files) | frozenset(overlay)
        self._folded: dict[str, list[str]] = {}
        for name in sorted(self._names):
            self._folded.setdefault(name.lower(), []).append(name)

    @property
    def names(self) -> frozenset[str]:
        return self._names

    def read(self, name: str, max_bytes: int) -> bytes:
        if name in self._overlay:
            data = self._overlay[name]
        elif name in self._files:
            if self._files[name].size > max_bytes:
                raise PackageError(f"{name} is larger than the {max_bytes} bytes allowed for a descriptor")
            with self._content.open(self._app_pk, self._files[name].sha256) as handle:
                data = handle.read(max_bytes + 1)
        else:
            raise PackageError(f"{name} is not in the package")
        if len(data) > max_bytes:
            raise PackageError(f"{name} is larger than the {max_bytes} bytes allowed for a descriptor")
        return data

    def resolve(self, href: str) -> str | None:
        path = href_path(href)
        if path is None:
            return None
        if path in self._names:
            return path
        folded = self._folded.get(path.lower(), [])
        return folded[0] if len(folded) == 1 else None
