"""Config filters: operators' extra redaction and noise patterns per platform or tag, versioned

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op
from netraven_shared.db.service_grants import grant_statements, revoke_statements
from sqlalchemy.dialects import postgresql

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

TABLES = ("config_filters", "config_filter_versions")


def upgrade() -> None:
    op.create_table(
        "config_filters",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("platform", sa.String(length=50), nullable=True),
        sa.Column("tag_id", sa.Uuid(), nullable=True),
        sa.Column("redactions", postgresql.JSONB(), nullable=False),
        sa.Column("noise", postgresql.JSONB(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(platform IS NULL) <> (tag_id IS NULL)", name=op.f("ck_config_filters_one_scope")
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"],
            ["tags.id"],
            name=op.f("fk_config_filters_tag_id_tags"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_config_filters")),
        sa.UniqueConstraint("name", name=op.f("uq_config_filters_name")),
    )
    op.create_table(
        "config_filter_versions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("filter_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("redactions", postgresql.JSONB(), nullable=False),
        sa.Column("noise", postgresql.JSONB(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.String(length=500), nullable=False),
        sa.Column("saved_by", sa.String(length=255), nullable=True),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["filter_id"],
            ["config_filters.id"],
            name=op.f("fk_config_filter_versions_filter_id_config_filters"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_config_filter_versions")),
        sa.UniqueConstraint(
            "filter_id", "version", name=op.f("uq_config_filter_versions_filter_version")
        ),
    )
    op.create_index(
        op.f("ix_config_filter_versions_filter_id"), "config_filter_versions", ["filter_id"]
    )
    for statement in grant_statements(TABLES):
        op.execute(statement)


def downgrade() -> None:
    for statement in revoke_statements(TABLES):
        op.execute(statement)
    op.drop_table("config_filter_versions")
    op.drop_table("config_filters")
