"""Credential key ids (placeholder for the key ring's migration, which replaces this file at merge)

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("credentials", sa.Column("key_id", sa.String(length=50), nullable=False, server_default="legacy"))


def downgrade() -> None:
    op.drop_column("credentials", "key_id")
