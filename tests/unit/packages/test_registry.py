from __future__ import annotations

import pytest

from coursehost.packages import PackageError
from coursehost.packages.registry import FORMATS, detect


def test_the_registry_lists_every_format_in_priority_order() -> None:
    assert [fmt.name for fmt in FORMATS] == ["scorm", "cmi5", "xapi", "aicc", "media"]
    assert FORMATS[0].matches("imsmanifest.xml")


def test_manifest_at_root() -> None:
    detection = detect(["imsmanifest.xml", "index.html", "other/imsmanifest.xml"])
    assert (detection.format.name, detection.root, detection.warnings) == ("scorm", "", ())


def test_manifest_name_is_case_insensitive() -> None:
    assert detect(["IMSManifest.XML", "index.html"]).root == ""


def test_several_case_variants_at_root_prefer_the_exact_name() -> None:
    assert detect(["IMSMANIFEST.XML", "imsmanifest.xml"]).root == ""


def test_several_case_variants_at_root_without_the_exact_name() -> None:
    with pytest.raises(PackageError, match="several imsmanifest.xml files at its root"):
        detect(["IMSMANIFEST.XML", "ImsManifest.xml"])


def test_single_manifest_in_a_folder_becomes_the_root() -> None:
    detection = detect(["a/b/imsmanifest.xml", "a/b/index.html", "readme.txt"])
    assert detection.root == "a/b/"
    assert detection.warnings == (
        "The manifest was found in the folder 'a/b/' rather than at the package root; "
        "that folder was used as the course root.",
    )


def test_several_nested_manifests() -> None:
    with pytest.raises(PackageError, match="several in folders \\('one/imsmanifest.xml', 'two/imsmanifest.xml'\\)"):
        detect(["two/imsmanifest.xml", "one/imsmanifest.xml"])


@pytest.mark.parametrize("names", [[], ["index.html"], ["cmi5.xml.bak", "index.html"], ["imsmanifest.xml.bak"]])
def test_no_manifest(names: list[str]) -> None:
    with pytest.raises(PackageError) as caught:
        detect(names)
    assert caught.value.message == (
        "No course descriptor was found in the package: expected imsmanifest.xml (SCORM), cmi5.xml (cmi5), "
        "tincan.xml (xAPI) or an AICC .crs file at its root"
    )
