"""The notifier reads runs: a device's last good backup is a succeeded result of a backup run,
not of a reachability check (netraven_shared.db.freshness)

Revision ID: 0023
Revises: 0022
"""

from alembic import op
from netraven_shared.db.service_grants import ROLES, grant_statements

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in grant_statements(["runs"]):
        op.execute(statement)


def downgrade() -> None:
    op.execute(f"REVOKE SELECT ON TABLE runs FROM {ROLES['notifier']}")
