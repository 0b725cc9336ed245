"""Inventory sources (NetBox, Nautobot): the sources, where each device came from and whether it is
gone from there, the `inventory_sync` job's source and a run's sync summary

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op
from netraven_shared.db.service_grants import grant_statements, revoke_statements
from sqlalchemy.dialects import postgresql

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

NEW_TABLES = ("inventory_sources",)


def upgrade() -> None:
    op.create_table(
        "inventory_sources",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("token_encrypted", sa.LargeBinary(), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("verify_tls", sa.Boolean(), nullable=False),
        sa.Column("filters", postgresql.JSONB(), nullable=False),
        sa.Column("platform_map", postgresql.JSONB(), nullable=False),
        sa.Column("default_platform", sa.String(length=50), nullable=True),
        sa.Column("tag_fields", postgresql.JSONB(), nullable=False),
        sa.Column("credential_tag", sa.String(length=100), nullable=True),
        sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_summary", postgresql.JSONB(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('netbox', 'nautobot')", name=op.f("ck_inventory_sources_kind")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_sources")),
        sa.UniqueConstraint("name", name=op.f("uq_inventory_sources_name")),
    )
    op.add_column("devices", sa.Column("source_id", sa.Uuid(), nullable=True))
    op.add_column("devices", sa.Column("external_id", sa.String(length=64), nullable=True))
    op.add_column("devices", sa.Column("orphaned_at", sa.DateTime(timezone=True), nullable=True))
    op.create_foreign_key(
        op.f("fk_devices_source_id_inventory_sources"),
        "devices",
        "inventory_sources",
        ["source_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_index(op.f("ix_devices_source_id"), "devices", ["source_id"])
    op.create_unique_constraint(
        op.f("uq_devices_source_id"), "devices", ["source_id", "external_id"]
    )
    op.add_column("jobs", sa.Column("inventory_source_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(
        op.f("fk_jobs_inventory_source_id_inventory_sources"),
        "jobs",
        "inventory_sources",
        ["inventory_source_id"],
        ["id"],
        ondelete="CASCADE",
    )
    op.create_index(op.f("ix_jobs_inventory_source_id"), "jobs", ["inventory_source_id"])
    op.add_column("runs", sa.Column("summary", postgresql.JSONB(), nullable=True))
    op.add_column("runs", sa.Column("error", sa.Text(), nullable=True))
    for statement in grant_statements(NEW_TABLES):
        op.execute(statement)


def downgrade() -> None:
    for statement in revoke_statements(NEW_TABLES):
        op.execute(statement)
    op.drop_column("runs", "error")
    op.drop_column("runs", "summary")
    op.drop_index(op.f("ix_jobs_inventory_source_id"), table_name="jobs")
    op.drop_constraint(op.f("fk_jobs_inventory_source_id_inventory_sources"), "jobs")
    op.drop_column("jobs", "inventory_source_id")
    op.drop_constraint(op.f("uq_devices_source_id"), "devices")
    op.drop_index(op.f("ix_devices_source_id"), table_name="devices")
    op.drop_constraint(op.f("fk_devices_source_id_inventory_sources"), "devices")
    for column in ("orphaned_at", "external_id", "source_id"):
        op.drop_column("devices", column)
    op.drop_table("inventory_sources")
