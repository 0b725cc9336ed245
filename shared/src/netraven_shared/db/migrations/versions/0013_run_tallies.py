"""Run tallies: a run keeps its device, succeeded and failed counts when one of its devices is
deleted

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TALLIES = ("device_count", "succeeded_count", "failed_count")


def upgrade() -> None:
    for column in TALLIES:
        op.add_column("runs", sa.Column(column, sa.Integer(), nullable=False, server_default="0"))
    op.execute("""
        UPDATE runs SET
            device_count = tally.devices,
            succeeded_count = tally.succeeded,
            failed_count = tally.failed
        FROM (
            SELECT run_id, count(*) AS devices,
                   count(*) FILTER (WHERE status = 'succeeded') AS succeeded,
                   count(*) FILTER (WHERE status = 'failed') AS failed
            FROM run_results GROUP BY run_id
        ) AS tally
        WHERE runs.id = tally.run_id
    """)


def downgrade() -> None:
    for column in reversed(TALLIES):
        op.drop_column("runs", column)
