"""Remote sites: a site's name and public key, and the site a device belongs to (none: central)

Revision ID: 0024
Revises: 0023
"""

import sqlalchemy as sa
from alembic import op
from netraven_shared.db.service_grants import SITE_TABLES, grant_statements, revoke_statements

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=31), nullable=False),
        sa.Column("description", sa.String(length=500), server_default="", nullable=False),
        sa.Column("public_key", sa.String(length=44), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sites")),
        sa.UniqueConstraint("name", name=op.f("uq_sites_name")),
    )
    op.add_column("devices", sa.Column("site_id", sa.Uuid(), nullable=True))
    op.create_index(op.f("ix_devices_site_id"), "devices", ["site_id"])
    op.create_foreign_key(
        op.f("fk_devices_site_id_sites"),
        "devices",
        "sites",
        ["site_id"],
        ["id"],
        ondelete="RESTRICT",
    )
    for statement in grant_statements(SITE_TABLES):
        op.execute(statement)


def downgrade() -> None:
    for statement in revoke_statements(SITE_TABLES):
        op.execute(statement)
    op.drop_constraint(op.f("fk_devices_site_id_sites"), "devices", type_="foreignkey")
    op.drop_index(op.f("ix_devices_site_id"), table_name="devices")
    op.drop_column("devices", "site_id")
    op.drop_table("sites")
