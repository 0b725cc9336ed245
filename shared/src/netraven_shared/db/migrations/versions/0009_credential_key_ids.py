"""Credential key ids: which key of the ring encrypts each credential

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
    # Every credential so far was encrypted with the single NETRAVEN_CREDENTIAL_KEY: the "legacy"
    # key. The default only fills those rows; from now on the api names the key of each row it
    # writes.
    op.add_column(
        "credentials",
        sa.Column("key_id", sa.String(length=64), nullable=False, server_default="legacy"),
    )
    op.alter_column("credentials", "key_id", server_default=None)


def downgrade() -> None:
    op.drop_column("credentials", "key_id")
