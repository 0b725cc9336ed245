"""Compliance: a device's stored config broke one or more of the operators' rules."""

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from netraven_shared.events import subjects
from netraven_shared.events.base import CommitId, ErrorText, Event, Hostname

Severity = Literal["info", "warning", "critical"]
MAX_VIOLATIONS = 200


class RuleViolation(BaseModel):
    rule_id: UUID
    rule_name: str = Field(min_length=1, max_length=100)
    severity: Severity
    detail: ErrorText = Field(description="What was missing or which line matched, for a person")


class ComplianceViolated(Event):
    """A device's config, as of `commit`, fails at least one compliance rule. Published when a
    change is evaluated (within seconds of `ConfigChanged`) and by an on-demand check of the
    fleet; one event per device with every rule it fails."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
                    "occurred_at": "2026-11-23T10:00:08Z",
                    "schema_version": 1,
                    "correlation_id": "0b7c1c2e-1f0e-4b8e-9a55-3c2d1e0f9a8b",
                    "device_id": "9f8e7d6c-5b4a-4e2d-8c1b-0a9f8e7d6c5b",
                    "hostname": "core-sw-01",
                    "commit": "3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e",
                    "severity": "critical",
                    "violations": [
                        {
                            "rule_id": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
                            "rule_name": "no telnet on vty",
                            "severity": "critical",
                            "detail": "line vty 0 4: 'transport input telnet' matched",
                        }
                    ],
                }
            ]
        }
    )
    subject = subjects.COMPLIANCE_VIOLATED

    device_id: UUID
    hostname: Hostname
    commit: CommitId
    severity: Severity = Field(description="The worst severity among the violations")
    violations: list[RuleViolation] = Field(min_length=1, max_length=MAX_VIOLATIONS)
