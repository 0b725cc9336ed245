from pathlib import Path

from netraven_docs.asyncapi import asyncapi_yaml

DOCUMENT = Path(__file__).parents[2] / "docs" / "asyncapi.yaml"


def test_the_committed_asyncapi_document_is_generated_from_the_code() -> None:
    assert DOCUMENT.read_text() == asyncapi_yaml(), "docs/asyncapi.yaml is stale: run `make docs`"


def test_every_event_has_a_channel() -> None:
    document = DOCUMENT.read_text()
    names = (
        "JobRequested",
        "DeviceBackupStarted",
        "DeviceBackedUp",
        "DeviceBackupFailed",
        "ConfigStored",
        "ConfigChanged",
        "LogEmitted",
        "LogLinesEmitted",
        "RunProgressed",
    )
    for name in names:
        assert f"{name}:publish" in document
