"""Reading the run-time details the importer does not keep from a stored imsmanifest.xml."""

from __future__ import annotations

from coursehost.player.manifest import read_manifest
from tests.integration.player.packages import scorm2004_manifest
from tests.support.packages import NS_12, NS_2004


def test_scorm2004_details() -> None:
    found = read_manifest(scorm2004_manifest("T", 2, choice_exit=False).encode())
    assert found["org"] == {"control": {"choice": True, "choiceExit": True, "flow": True, "forwardOnly": False}}
    assert found["i1"] == {
        "launchData": "launch-data-1",
        "completionThreshold": "0.75",
        "objectives": ["obj-1", "obj-2"],
        "sharedData": [{"id": "com.example.notes", "readable": True, "writable": True}],
    }
    assert found["i2"]["control"]["choiceExit"] is False
    assert found["i2"]["sharedData"] == [{"id": "com.example.notes", "readable": True, "writable": False}]


def test_scorm12_details_and_visibility() -> None:
    manifest = (
        f'<manifest identifier="m" {NS_12}><organizations default="o"><organization identifier="o"><title>T</title>'
        '<item identifier="a" identifierref="r" isvisible="false"><title>A</title>'
        "<adlcp:masteryscore>80</adlcp:masteryscore><adlcp:datafromlms>hello</adlcp:datafromlms>"
        "<adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed>"
        "<adlcp:timelimitaction>exit,message</adlcp:timelimitaction></item>"
        "</organization></organizations><resources/></manifest>"
    )
    assert read_manifest(manifest.encode())["a"] == {
        "visible": False,
        "launchData": "hello",
        "masteryScore": "80",
        "maxTimeAllowed": "00:30:00",
        "timeLimitAction": "exit,message",
    }


def test_shared_sequencing_thresholds_and_hidden_controls() -> None:
    manifest = (
        f'<manifest identifier="m" {NS_2004} xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3">'
        '<organizations default="o"><organization identifier="o"><title>T</title>'
        '<item identifier="a" identifierref="r"><title>A</title>'
        "<adlcp:completionThreshold>0.6</adlcp:completionThreshold>"
        '<imsss:sequencing IDRef="shared"><imsss:limitConditions attemptAbsoluteDurationLimit="PT1H"/>'
        "</imsss:sequencing>"
        "<adlnav:presentation><adlnav:navigationInterface><adlnav:hideLMSUI>continue</adlnav:hideLMSUI>"
        "<adlnav:hideLMSUI>PREVIOUS</adlnav:hideLMSUI><adlnav:hideLMSUI>nonsense</adlnav:hideLMSUI>"
        "</adlnav:navigationInterface></adlnav:presentation></item>"
        '<item identifier="b" identifierref="r"><title>B</title>'
        '<adlcp:completionThreshold completedByMeasure="false" minProgressMeasure="0.5"/></item>'
        "</organization></organizations>"
        '<imsss:sequencingCollection><imsss:sequencing ID="shared"><imsss:controlMode flow="true" forwardOnly="1"/>'
        "</imsss:sequencing></imsss:sequencingCollection><resources/></manifest>"
    )
    found = read_manifest(manifest.encode())
    assert found["a"] == {
        "control": {"choice": True, "choiceExit": True, "flow": True, "forwardOnly": True},
        "maxTimeAllowed": "PT1H",
        "completionThreshold": "0.6",
        "hide": ["continue", "previous"],
    }
    assert found["b"] == {}  # the threshold applies only when completion is determined by measure


def test_unreadable_manifest_gives_no_details() -> None:
    assert read_manifest(b"<manifest") == {}
    assert read_manifest(b'<!DOCTYPE x [<!ENTITY a "b">]><manifest/>') == {}


def test_shared_data_maps_default_to_read_and_write_and_skip_blank_or_repeated_ids() -> None:
    manifest = (
        f'<manifest identifier="m" {NS_2004}><organizations default="o"><organization identifier="o"><title>T</title>'
        '<item identifier="a" identifierref="r"><title>A</title><adlcp:data>'
        '<adlcp:map targetID="one" readSharedData="false"/><adlcp:map targetID=" "/>'
        '<adlcp:map targetID="two" writeSharedData="FALSE"/><adlcp:map targetID="one"/>'
        "</adlcp:data></item></organization></organizations><resources/></manifest>"
    )
    assert read_manifest(manifest.encode())["a"]["sharedData"] == [
        {"id": "one", "readable": False, "writable": True},
        {"id": "two", "readable": True, "writable": False},
    ]
