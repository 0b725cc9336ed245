"""Rejected events: messages a service terminated instead of acting on them

Revision ID: 0007
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rejected_events",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rejected_subject", sa.String(length=255), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("service", sa.String(length=50), nullable=False),
        sa.Column("identity", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rejected_events")),
        sa.UniqueConstraint("event_id", name=op.f("uq_rejected_events_event_id")),
    )
    op.create_index("ix_rejected_events_newest", "rejected_events", ["occurred_at", "id"])
    op.create_index(
        "ix_rejected_events_subject_identity",
        "rejected_events",
        ["rejected_subject", "identity", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_rejected_events_subject_identity", table_name="rejected_events")
    op.drop_index("ix_rejected_events_newest", table_name="rejected_events")
    op.drop_table("rejected_events")
