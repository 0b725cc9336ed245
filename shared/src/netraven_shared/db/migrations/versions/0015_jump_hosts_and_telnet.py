"""Jump hosts and Telnet: bastions devices are reached through (named by a device or its tags),
and a device's transport (ssh, or telnet for gear without SSH)

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op
from netraven_shared.db.service_grants import grant_statements

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jump_hosts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("address", sa.String(255), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("credential_id", sa.Uuid(), nullable=False),
        sa.Column("host_key_type", sa.String(50), nullable=False),
        sa.Column("host_key_public", sa.Text(), nullable=False),
        sa.Column("host_key_fingerprint", sa.String(60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["credential_id"],
            ["credentials.id"],
            name="fk_jump_hosts_credential_id_credentials",
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_jump_hosts"),
        sa.UniqueConstraint("name", name="uq_jump_hosts_name"),
    )
    op.create_index("ix_jump_hosts_credential_id", "jump_hosts", ["credential_id"])
    for table in ("devices", "tags"):
        op.add_column(table, sa.Column("jump_host_id", sa.Uuid(), nullable=True))
        op.create_foreign_key(
            f"fk_{table}_jump_host_id_jump_hosts",
            table,
            "jump_hosts",
            ["jump_host_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        op.create_index(f"ix_{table}_jump_host_id", table, ["jump_host_id"])
    op.add_column(
        "devices", sa.Column("transport", sa.String(10), nullable=False, server_default="ssh")
    )
    for statement in grant_statements(["jump_hosts"]):
        op.execute(statement)


def downgrade() -> None:
    op.drop_column("devices", "transport")
    for table in ("tags", "devices"):
        op.drop_index(f"ix_{table}_jump_host_id", table_name=table)
        op.drop_constraint(f"fk_{table}_jump_host_id_jump_hosts", table, type_="foreignkey")
        op.drop_column(table, "jump_host_id")
    op.drop_index("ix_jump_hosts_credential_id", table_name="jump_hosts")
    op.drop_table("jump_hosts")
