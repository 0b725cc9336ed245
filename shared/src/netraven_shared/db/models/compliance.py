"""Compliance: the operators' rules, and every evaluation of a device's config against them.

The api alone writes all four tables. An evaluation is never edited: each is a new row, the newest
per device is its current state, the older ones its history. Per rule outcomes live in the
evaluation's `results` (rule id and name as they were then, status, bounded details), so a rule
changed or deleted later leaves the history as it was.
"""

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from netraven_shared.db.base import Base, Timestamped, utc_now
from netraven_shared.db.models.tag import tag_link_table

RULE_KINDS = ("must_contain", "must_not_contain")
EVALUATION_STATUSES = ("compliant", "noncompliant", "error")


class ComplianceRule(Timestamped, Base):
    """A line (or a regex, `is_regex`) a config must or must not contain, optionally within every
    block whose header matches `section`; for devices of `platforms` carrying any of its tags
    (empty: all)."""

    __tablename__ = "compliance_rules"
    __table_args__ = (
        CheckConstraint("kind IN ('must_contain', 'must_not_contain')", name="kind"),
        CheckConstraint("severity IN ('info', 'warning', 'critical')", name="severity"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    kind: Mapped[str] = mapped_column(String(20))
    pattern: Mapped[str] = mapped_column(String(500))
    is_regex: Mapped[bool] = mapped_column(default=False)
    section: Mapped[str | None] = mapped_column(String(500))
    platforms: Mapped[list[str]] = mapped_column(JSONB, default=list)
    severity: Mapped[str] = mapped_column(String(10))
    enabled: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


compliance_rule_tags = tag_link_table("compliance_rule")


class ComplianceCheck(Base):
    """An on-demand evaluation of the fleet's newest configs, and how far it got."""

    __tablename__ = "compliance_checks"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    started_by: Mapped[str | None] = mapped_column(String(255))
    started_at: Mapped[datetime] = mapped_column(default=utc_now)
    total: Mapped[int] = mapped_column(default=0)
    evaluated: Mapped[int] = mapped_column(default=0)
    noncompliant: Mapped[int] = mapped_column(default=0)
    errors: Mapped[int] = mapped_column(default=0)
    finished_at: Mapped[datetime | None]


class ComplianceEvaluation(Base):
    __tablename__ = "compliance_evaluations"
    __table_args__ = (
        CheckConstraint("status IN ('compliant', 'noncompliant', 'error')", name="status"),
        Index("ix_compliance_evaluations_device_newest", "device_id", "evaluated_at"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    device_id: Mapped[UUID] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    commit: Mapped[str] = mapped_column(String(40))
    evaluated_at: Mapped[datetime] = mapped_column(default=utc_now)
    check_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("compliance_checks.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    # The worst severity among the failed rules; None when none failed.
    worst_severity: Mapped[str | None] = mapped_column(String(10))
    failed_rules: Mapped[int] = mapped_column(default=0)
    # [{rule_id, rule_name, severity, status, details, more_details}], one per rule in scope.
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
