"""Compliance: rules (scoped by platforms and tags), on-demand fleet checks, and every evaluation of
a device's config

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op
from netraven_shared.db.service_grants import (
    COMPLIANCE_TABLES,
    grant_statements,
    revoke_statements,
)
from sqlalchemy.dialects import postgresql

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "compliance_rules",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("pattern", sa.String(length=500), nullable=False),
        sa.Column("is_regex", sa.Boolean(), nullable=False),
        sa.Column("section", sa.String(length=500), nullable=True),
        sa.Column("platforms", postgresql.JSONB(), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('must_contain', 'must_not_contain')", name=op.f("ck_compliance_rules_kind")
        ),
        sa.CheckConstraint(
            "severity IN ('info', 'warning', 'critical')",
            name=op.f("ck_compliance_rules_severity"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_rules")),
        sa.UniqueConstraint("name", name=op.f("uq_compliance_rules_name")),
    )
    op.create_table(
        "compliance_rule_tags",
        sa.Column("compliance_rule_id", sa.Uuid(), nullable=False),
        sa.Column("tag_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["compliance_rule_id"],
            ["compliance_rules.id"],
            name=op.f("fk_compliance_rule_tags_compliance_rule_id_compliance_rules"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"],
            ["tags.id"],
            name=op.f("fk_compliance_rule_tags_tag_id_tags"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "compliance_rule_id", "tag_id", name=op.f("pk_compliance_rule_tags")
        ),
    )
    op.create_table(
        "compliance_checks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("started_by", sa.String(length=255), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("evaluated", sa.Integer(), nullable=False),
        sa.Column("noncompliant", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_checks")),
    )
    op.create_table(
        "compliance_evaluations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("commit", sa.String(length=40), nullable=False),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("check_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("worst_severity", sa.String(length=10), nullable=True),
        sa.Column("failed_rules", sa.Integer(), nullable=False),
        sa.Column("results", postgresql.JSONB(), nullable=False),
        sa.CheckConstraint(
            "status IN ('compliant', 'noncompliant', 'error')",
            name=op.f("ck_compliance_evaluations_status"),
        ),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_compliance_evaluations_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["check_id"],
            ["compliance_checks.id"],
            name=op.f("fk_compliance_evaluations_check_id_compliance_checks"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_evaluations")),
    )
    op.create_index(
        "ix_compliance_evaluations_device_newest",
        "compliance_evaluations",
        ["device_id", "evaluated_at"],
    )
    op.create_index(
        op.f("ix_compliance_evaluations_check_id"), "compliance_evaluations", ["check_id"]
    )
    for statement in grant_statements(COMPLIANCE_TABLES):
        op.execute(statement)


def downgrade() -> None:
    for statement in revoke_statements(COMPLIANCE_TABLES):
        op.execute(statement)
    for table in reversed(COMPLIANCE_TABLES):
        op.drop_table(table)
