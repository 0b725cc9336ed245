"""Device trust: pinned SSH host keys, the credential bound to each device, management networks

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

HOST_KEY_COLUMNS = (
    ("host_key_type", sa.String(length=50)),
    ("host_key_public", sa.Text()),
    ("host_key_fingerprint", sa.String(length=60)),
    ("host_key_pinned_at", sa.DateTime(timezone=True)),
    ("host_key_pinned_by", sa.String(length=255)),
    ("offered_host_key_type", sa.String(length=50)),
    ("offered_host_key_public", sa.Text()),
    ("offered_host_key_fingerprint", sa.String(length=60)),
    ("offered_host_key_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    op.add_column(
        "devices",
        sa.Column("host_key_status", sa.String(length=20), nullable=False, server_default="none"),
    )
    op.create_index("ix_devices_host_key_status", "devices", ["host_key_status"])
    for name, column_type in HOST_KEY_COLUMNS:
        op.add_column("devices", sa.Column(name, column_type, nullable=True))
    op.add_column("devices", sa.Column("bound_credential_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(
        op.f("fk_devices_bound_credential_id_credentials"),
        "devices",
        "credentials",
        ["bound_credential_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_table(
        "management_networks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cidr", postgresql.CIDR(), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_management_networks")),
        sa.UniqueConstraint("cidr", name=op.f("uq_management_networks_cidr")),
    )


def downgrade() -> None:
    op.drop_table("management_networks")
    op.drop_constraint(
        op.f("fk_devices_bound_credential_id_credentials"), "devices", type_="foreignkey"
    )
    op.drop_column("devices", "bound_credential_id")
    for name, _ in reversed(HOST_KEY_COLUMNS):
        op.drop_column("devices", name)
    op.drop_index("ix_devices_host_key_status", table_name="devices")
    op.drop_column("devices", "host_key_status")
