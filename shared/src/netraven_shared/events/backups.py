"""Facts a worker publishes about one device's backup."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from netraven_shared.events import subjects
from netraven_shared.events.base import (
    INT32_MAX,
    MAX_CREDENTIALS_TRIED,
    SHA256_PATTERN,
    ErrorText,
    Event,
    Hostname,
    Sha256,
)
from netraven_shared.host_keys import HostKey

# Text up to this travels inline (config_transport.INLINE_LIMIT bytes, never more characters than
# bytes).
INLINE_CONFIG_MAX_CHARS = 256 * 1024
MAX_ATTEMPTS = 1000
# An extra output inline up to this many bytes (config_transport.OUTPUT_INLINE_LIMIT); with at most
# MAX_OUTPUTS of them beside an inline config, a message stays under NATS's 1 MB.
INLINE_OUTPUT_MAX_CHARS = 64 * 1024
MAX_OUTPUTS = 8
FACT_MAX_CHARS = 100
OutputName = Annotated[
    str, StringConstraints(min_length=1, max_length=30, pattern=r"^[a-z][a-z0-9_-]*$")
]
FactValue = Annotated[str, StringConstraints(min_length=1, max_length=FACT_MAX_CHARS)]
DeviceType = Annotated[str, StringConstraints(min_length=1, max_length=50, pattern=r"^[a-z0-9_]+$")]
# The IPv4 or IPv6 address a device given by DNS name resolved to for its session.
ResolvedAddress = Annotated[str, StringConstraints(min_length=2, max_length=45)]
CredentialIds = Annotated[list[UUID], Field(max_length=MAX_CREDENTIALS_TRIED)]

_IDS: dict[str, str | int] = {
    "event_id": "6a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d",
    "occurred_at": "2026-11-23T10:00:02Z",
    "schema_version": 1,
    "correlation_id": "0b7c1c2e-1f0e-4b8e-9a55-3c2d1e0f9a8b",
    "run_id": "7d1e9a3c-5b2f-4c8d-9e0a-1b2c3d4e5f60",
    "job_id": "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d",
    "device_id": "9f8e7d6c-5b4a-4e2d-8c1b-0a9f8e7d6c5b",
    "hostname": "core-sw-01",
}


class DeviceBackupEvent(Event):
    run_id: UUID
    job_id: UUID | None = None
    device_id: UUID
    hostname: Hostname


class DeviceBackupStarted(DeviceBackupEvent):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{**_IDS, "worker_id": "worker-a1", "attempt": 1}]}
    )
    subject = subjects.BACKUP_STARTED

    worker_id: str = Field(min_length=1, max_length=100)
    attempt: int = Field(ge=1, le=MAX_ATTEMPTS)


class BackupOutput(BaseModel):
    """One of the driver's extra outputs (`show version` as `version`), redacted like the config:
    its text inline or in the config object store, as the config's; or why it is missing."""

    model_config = ConfigDict(extra="ignore")

    name: OutputName
    text: str | None = Field(default=None, max_length=INLINE_OUTPUT_MAX_CHARS)
    object: str | None = Field(default=None, min_length=64, max_length=64, pattern=SHA256_PATTERN)
    sha256: Sha256 | None = None
    size_bytes: int | None = Field(default=None, ge=0, le=INT32_MAX)
    missing: ErrorText | None = None

    @model_validator(mode="after")
    def _carries_text_or_why_not(self) -> "BackupOutput":
        if self.missing is not None:
            if self.text is not None or self.object is not None:
                raise ValueError("a missing output carries no text")
            return self
        if (self.text is None) == (self.object is None):
            raise ValueError("exactly one of text and object must be set")
        if self.sha256 is None or self.size_bytes is None:
            raise ValueError("an output's text comes with its sha256 and size_bytes")
        return self


class DeviceFacts(BaseModel):
    """What the driver read from the outputs; a fact it could not read is left out (None)."""

    model_config = ConfigDict(extra="ignore")

    model: FactValue | None = None
    serial_number: FactValue | None = None
    os_version: FactValue | None = None


class DeviceBackedUp(DeviceBackupEvent):
    """The redacted configuration of one device.

    Text up to the inline limit travels in `config_text`; larger text is put in the JetStream
    object store bucket `netraven-configs` and `config_object` names it.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_IDS,
                    "device_type": "cisco_ios",
                    "config_text": "hostname core-sw-01\nenable secret <redacted>\n",
                    "config_object": None,
                    "sha256": "4f2a0f8c3b1d4e6a9c7b5d3e1f0a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a",
                    "size_bytes": 47,
                    "collected_at": "2026-11-23T10:00:05Z",
                    "credential_id": "2b3c4d5e-6f7a-4b9c-8d0e-1f2a3b4c5d6e",
                    "refused_credential_ids": ["3c4d5e6f-7a8b-4c0d-9e1f-2a3b4c5d6e7f"],
                    "resolved_address": "192.0.2.10",
                    "outputs": [
                        {
                            "name": "version",
                            "text": "Cisco IOS Software, Version 15.2(7)E4\n",
                            "object": None,
                            "sha256": "9c1f0e2d3b4a5968"
                            "7f8e9d0c1b2a3948576f6e5d4c3b2a19081f2e3d4c5b6a79",
                            "size_bytes": 38,
                        },
                        {"name": "inventory", "missing": "the device refused 'show inventory'"},
                    ],
                    "facts": {
                        "model": "WS-C2960X-48FPD-L",
                        "serial_number": "FOC1234X5YZ",
                        "os_version": "15.2(7)E4",
                    },
                }
            ]
        }
    )
    subject = subjects.BACKUP_SUCCEEDED

    device_type: DeviceType
    config_text: str | None = Field(default=None, max_length=INLINE_CONFIG_MAX_CHARS)
    config_object: str | None = Field(
        default=None, min_length=64, max_length=64, pattern=SHA256_PATTERN
    )
    sha256: Sha256
    size_bytes: int = Field(ge=0, le=INT32_MAX)
    collected_at: datetime
    credential_id: UUID | None = None
    refused_credential_ids: CredentialIds = Field(default_factory=list)
    # The host key the session verified (or, with nothing pinned yet, trusted on first use and asks
    # the api to pin).
    host_key: HostKey | None = None
    resolved_address: ResolvedAddress | None = None
    # The driver's extra outputs, each stored beside the config; and the facts read from them.
    outputs: list[BackupOutput] = Field(default_factory=list, max_length=MAX_OUTPUTS)
    facts: DeviceFacts | None = None

    @model_validator(mode="after")
    def _carries_config(self) -> "DeviceBackedUp":
        if (self.config_text is None) == (self.config_object is None):
            raise ValueError("exactly one of config_text and config_object must be set")
        return self


class DeviceBackupFailed(Event):
    """A backup that will not be retried. `device_id` is empty when the device is unknown."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_IDS,
                    "error": "authentication failed with every credential (tried: lab-admin)",
                    "attempts": 1,
                    "refused_credential_ids": ["2b3c4d5e-6f7a-4b9c-8d0e-1f2a3b4c5d6e"],
                }
            ]
        }
    )
    subject = subjects.BACKUP_FAILED

    run_id: UUID
    job_id: UUID | None = None
    device_id: UUID | None = None
    hostname: Hostname | None = None
    error: ErrorText
    attempts: int = Field(ge=1, le=MAX_ATTEMPTS)
    refused_credential_ids: CredentialIds = Field(default_factory=list)
    # The key the device offered when it was not the pinned one (or strict pinning had none):
    # nothing was sent to the device, and the api records the key so an admin can accept it.
    offered_host_key: HostKey | None = None
    resolved_address: ResolvedAddress | None = None
