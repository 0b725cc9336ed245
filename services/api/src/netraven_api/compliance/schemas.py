from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from netraven_shared.events.compliance import Severity
from pydantic import BaseModel, Field

from netraven_api.compliance.evaluator import PATTERN_MAX_CHARS, Kind, Status
from netraven_api.schemas_common import Name

Pattern = Annotated[
    str,
    Field(
        min_length=1,
        max_length=PATTERN_MAX_CHARS,
        examples=["service password-encryption", r"^transport input .*telnet"],
        description="A line, matched whole after trimming; a regex searched in each trimmed line "
        "when `regex` is true",
    ),
]
Section = Annotated[
    str,
    Field(
        min_length=1,
        max_length=PATTERN_MAX_CHARS,
        examples=["^interface "],
        description="A regex for a block's header line: the rule applies within every block "
        "(header plus its deeper-indented lines) whose header matches",
    ),
]
Platforms = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=50)]],
    Field(max_length=50, description="Driver platforms; empty: all"),
]
Tags = Annotated[
    list[Name], Field(max_length=50, description="Devices carrying any of these tags; empty: all")
]
Description = Annotated[str, Field(max_length=500)]
EvaluationStatus = Literal["compliant", "noncompliant", "error"]


class ComplianceRuleIn(BaseModel):
    name: Name
    description: Description = ""
    kind: Kind
    pattern: Pattern
    regex: bool = False
    section: Section | None = None
    platforms: Platforms = Field(default_factory=list)
    tags: Tags = Field(default_factory=list)
    severity: Severity = "warning"
    enabled: bool = True


class ComplianceRuleUpdate(BaseModel):
    """Only the fields sent change; `section: null` removes the section."""

    name: Name | None = None
    description: Description | None = None
    kind: Kind | None = None
    pattern: Pattern | None = None
    regex: bool | None = None
    section: Section | None = None
    platforms: Platforms | None = None
    tags: Tags | None = None
    severity: Severity | None = None
    enabled: bool | None = None


class ComplianceRuleOut(BaseModel):
    id: UUID
    name: str
    description: str
    kind: Kind
    pattern: str
    regex: bool
    section: str | None
    platforms: list[str]
    tags: list[str]
    severity: Severity
    enabled: bool
    created_at: datetime
    updated_at: datetime


class RuleResult(BaseModel):
    rule_id: UUID
    rule_name: str
    severity: Severity
    status: Status
    details: list[str] = Field(description="Matched lines (must not contain) or missing blocks")
    more_details: int = Field(description="Details left off beyond the first 50")


class EvaluationOut(BaseModel):
    id: UUID
    device_id: UUID
    hostname: str
    commit: str
    evaluated_at: datetime
    check_id: UUID | None
    status: EvaluationStatus
    worst_severity: Severity | None
    failed_rules: int
    results: list[RuleResult]


class DeviceStanding(BaseModel):
    """A device's current state: its newest evaluation, without the details."""

    device_id: UUID
    hostname: str
    commit: str
    evaluated_at: datetime
    status: EvaluationStatus
    worst_severity: Severity | None
    failed_rules: int


class RuleCounts(BaseModel):
    rule_id: UUID
    rule_name: str
    severity: Severity
    passed: int
    failed: int
    errors: int


class ComplianceSummary(BaseModel):
    rules: list[RuleCounts] = Field(description="Per rule, over each device's newest evaluation")
    devices: list[DeviceStanding] = Field(description="Every evaluated device, worst first")


class FailingDevice(BaseModel):
    device_id: UUID
    hostname: str
    commit: str
    evaluated_at: datetime
    details: list[str]
    more_details: int


class CheckOut(BaseModel):
    id: UUID
    started_by: str | None
    started_at: datetime
    finished_at: datetime | None
    total: int = Field(description="Devices with a stored config when the check started")
    evaluated: int
    noncompliant: int
    errors: int = Field(description="Devices whose config could not be read or evaluated")
