"""The digest of a config version's extra outputs, so a backup whose outputs alone changed is a
new version; null means the version has no outputs (and is what every older row holds)

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("config_versions", sa.Column("outputs_sha256", sa.String(64), nullable=True))


def downgrade() -> None:
    op.drop_column("config_versions", "outputs_sha256")
