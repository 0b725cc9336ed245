"""Log-collector may delete from the log and the rejected events: its retention sweep

Revision ID: 0021
Revises: 0020
"""

from alembic import op
from netraven_shared.db.service_grants import ROLES, grant_statements

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

TABLES = ("logs", "rejected_events")


def upgrade() -> None:
    for statement in grant_statements(TABLES):
        op.execute(statement)


def downgrade() -> None:
    op.execute(f"REVOKE DELETE ON TABLE {', '.join(TABLES)} FROM {ROLES['log-collector']}")
