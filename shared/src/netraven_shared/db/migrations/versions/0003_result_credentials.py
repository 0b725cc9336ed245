"""Record which credential worked for each device's result

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("run_results", sa.Column("credential_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(
        "fk_run_results_credential_id_credentials",
        "run_results",
        "credentials",
        ["credential_id"],
        ["id"],
        ondelete="SET NULL",
    )


def downgrade() -> None:
    op.drop_constraint(
        "fk_run_results_credential_id_credentials", "run_results", type_="foreignkey"
    )
    op.drop_column("run_results", "credential_id")
