"""SSH key credentials and devices given by DNS name: a credential holds a password, a private key
or both; a device's address may be a DNS name, and a run result records the address it resolved to

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

KEY_COLUMNS = (
    sa.Column("private_key_encrypted", sa.LargeBinary(), nullable=True),
    sa.Column("private_key_passphrase_encrypted", sa.LargeBinary(), nullable=True),
    sa.Column("private_key_type", sa.String(length=50), nullable=True),
    sa.Column("private_key_fingerprint", sa.String(length=60), nullable=True),
)


def upgrade() -> None:
    for column in KEY_COLUMNS:
        op.add_column("credentials", column)
    op.alter_column("credentials", "password_encrypted", nullable=True)
    op.create_check_constraint(
        op.f("ck_credentials_password_or_key"),
        "credentials",
        "password_encrypted IS NOT NULL OR private_key_encrypted IS NOT NULL",
    )
    op.alter_column(
        "devices", "ip_address", type_=sa.String(length=253), existing_type=sa.String(length=45)
    )
    op.add_column("run_results", sa.Column("resolved_address", sa.String(length=45)))


def downgrade() -> None:
    op.drop_column("run_results", "resolved_address")
    op.alter_column(
        "devices", "ip_address", type_=sa.String(length=45), existing_type=sa.String(length=253)
    )
    op.drop_constraint(op.f("ck_credentials_password_or_key"), "credentials")
    # Key-only credentials cannot survive without a password: they go.
    op.execute("DELETE FROM credentials WHERE password_encrypted IS NULL")
    op.alter_column("credentials", "password_encrypted", nullable=False)
    for column in reversed(KEY_COLUMNS):
        op.drop_column("credentials", column.name)
