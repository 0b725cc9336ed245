"""job schedules: cron, onetime and a start/end window

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 15:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("jobs", sa.Column("cron_expression", sa.String(length=100), nullable=True))
    op.add_column("jobs", sa.Column("timezone", sa.String(length=64), nullable=True))
    op.add_column("jobs", sa.Column("run_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("jobs", sa.Column("start_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("jobs", sa.Column("end_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("jobs", sa.Column("scheduled_since", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for column in (
        "scheduled_since",
        "end_at",
        "start_at",
        "run_at",
        "timezone",
        "cron_expression",
    ):
        op.drop_column("jobs", column)
