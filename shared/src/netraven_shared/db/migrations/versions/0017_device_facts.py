"""Device facts: the model, serial number and OS version the driver reads from a backup's outputs

Revision ID: 0017
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0013"
branch_labels = None
depends_on = None

FACTS = ("model", "serial_number", "os_version")


def upgrade() -> None:
    for column in FACTS:
        op.add_column("devices", sa.Column(column, sa.String(100), nullable=True))
    op.add_column(
        "devices", sa.Column("facts_updated_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("devices", "facts_updated_at")
    for column in reversed(FACTS):
        op.drop_column("devices", column)
