"""Config versions: changed lines, and a flag for commits the repository no longer has

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("config_versions", sa.Column("changed_lines", sa.Integer(), nullable=True))
    op.add_column(
        "config_versions",
        sa.Column("missing_from_repo", sa.Boolean(), nullable=False, server_default="false"),
    )


def downgrade() -> None:
    op.drop_column("config_versions", "missing_from_repo")
    op.drop_column("config_versions", "changed_lines")
