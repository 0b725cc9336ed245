"""Notifications: channels, rules (scoped by tags), the notifier's delivery log, its role, and a
staleness threshold per tag

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op
from netraven_shared.db.service_grants import (
    connect_statement,
    create_roles_statement,
    grant_statements,
    revoke_statements,
)
from sqlalchemy.dialects import postgresql

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

NEW_TABLES = (
    "notification_channels",
    "notification_rules",
    "notification_rule_tags",
    "notification_deliveries",
)
# Read by the new notifier role.
READ_BY_NOTIFIER = ("devices", "device_tags", "tags", "run_results")


def upgrade() -> None:
    op.execute(create_roles_statement())
    op.execute(connect_statement())
    op.add_column("tags", sa.Column("stale_after_hours", sa.Integer(), nullable=True))
    op.create_table(
        "notification_channels",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target_encrypted", sa.LargeBinary(), nullable=False),
        sa.Column("target_display", sa.String(length=255), nullable=False),
        sa.Column("hmac_secret_encrypted", sa.LargeBinary(), nullable=True),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("digest_minutes", sa.Integer(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("from_environment", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('apprise', 'webhook')", name=op.f("ck_notification_channels_kind")
        ),
        sa.CheckConstraint(
            "digest_minutes IS NULL OR digest_minutes BETWEEN 1 AND 10080",
            name=op.f("ck_notification_channels_digest"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_channels")),
        sa.UniqueConstraint("name", name=op.f("uq_notification_channels_name")),
    )
    op.create_table(
        "notification_rules",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("event_kinds", postgresql.JSONB(), nullable=False),
        sa.Column("min_severity", sa.String(length=10), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "min_severity IN ('info', 'warning', 'critical')",
            name=op.f("ck_notification_rules_severity"),
        ),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["notification_channels.id"],
            name=op.f("fk_notification_rules_channel_id_notification_channels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_rules")),
        sa.UniqueConstraint("name", name=op.f("uq_notification_rules_name")),
    )
    op.create_index(op.f("ix_notification_rules_channel_id"), "notification_rules", ["channel_id"])
    op.create_table(
        "notification_rule_tags",
        sa.Column("notification_rule_id", sa.Uuid(), nullable=False),
        sa.Column("tag_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_rule_id"],
            ["notification_rules.id"],
            name=op.f("fk_notification_rule_tags_notification_rule_id_notification_rules"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"],
            ["tags.id"],
            name=op.f("fk_notification_rule_tags_tag_id_tags"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "notification_rule_id", "tag_id", name=op.f("pk_notification_rule_tags")
        ),
    )
    op.create_table(
        "notification_deliveries",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_kind", sa.String(length=30), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", postgresql.JSONB(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'delivered', 'failed', 'digest_queued', 'digested')",
            name=op.f("ck_notification_deliveries_status"),
        ),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["notification_channels.id"],
            name=op.f("fk_notification_deliveries_channel_id_notification_channels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_deliveries")),
        sa.UniqueConstraint(
            "channel_id", "event_id", name=op.f("uq_notification_deliveries_channel_event")
        ),
    )
    for column in ("channel_id", "device_id", "created_at"):
        op.create_index(
            op.f(f"ix_notification_deliveries_{column}"), "notification_deliveries", [column]
        )
    for statement in grant_statements((*NEW_TABLES, *READ_BY_NOTIFIER)):
        op.execute(statement)


def downgrade() -> None:
    for statement in revoke_statements(NEW_TABLES):
        op.execute(statement)
    for table in reversed(NEW_TABLES):
        op.drop_table(table)
    op.drop_column("tags", "stale_after_hours")
    for statement in grant_statements(READ_BY_NOTIFIER):
        op.execute(statement)
