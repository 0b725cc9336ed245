"""Per-device SSH options, each device's last reachability check, and the kind of jobs and runs

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("devices", sa.Column("timeout_seconds", sa.Integer(), nullable=True))
    op.add_column(
        "devices", sa.Column("legacy_ssh", sa.Boolean(), nullable=False, server_default="false")
    )
    op.add_column(
        "devices",
        sa.Column(
            "reachability_status", sa.String(length=20), nullable=False, server_default="unknown"
        ),
    )
    op.add_column("devices", sa.Column("reachability_latency_ms", sa.Float(), nullable=True))
    op.add_column(
        "devices", sa.Column("reachability_checked_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("devices", sa.Column("reachability_error", sa.Text(), nullable=True))
    op.create_index("ix_devices_reachability_status", "devices", ["reachability_status"])
    op.add_column(
        "jobs", sa.Column("kind", sa.String(length=20), nullable=False, server_default="backup")
    )
    op.add_column(
        "runs", sa.Column("kind", sa.String(length=20), nullable=False, server_default="backup")
    )


def downgrade() -> None:
    op.drop_column("runs", "kind")
    op.drop_column("jobs", "kind")
    op.drop_index("ix_devices_reachability_status", table_name="devices")
    for column in (
        "reachability_error",
        "reachability_checked_at",
        "reachability_latency_ms",
        "reachability_status",
        "legacy_ssh",
        "timeout_seconds",
    ):
        op.drop_column("devices", column)
