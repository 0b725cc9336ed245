"""People: directory (OIDC, LDAP) accounts, API tokens and the audit trail

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op
from netraven_shared.db.service_grants import grant_statements
from sqlalchemy.dialects import postgresql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "users", sa.Column("auth_source", sa.String(10), nullable=False, server_default="local")
    )
    op.add_column("users", sa.Column("external_id", sa.String(255), nullable=True))
    op.alter_column("users", "password_hash", nullable=True)
    op.create_unique_constraint("uq_users_auth_source", "users", ["auth_source", "external_id"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "user_id",
            sa.Uuid(),
            sa.ForeignKey("users.id", ondelete="CASCADE", name="fk_api_tokens_user_id_users"),
            nullable=False,
        ),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_address", sa.String(64), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("secret_hash", name="uq_api_tokens_secret_hash"),
        sa.UniqueConstraint("user_id", "name", name="uq_api_tokens_user_id"),
    )
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("actor_name", sa.String(255), nullable=True),
        sa.Column("actor_role", sa.String(20), nullable=True),
        sa.Column("token_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("object_type", sa.String(40), nullable=True),
        sa.Column("object_id", sa.String(255), nullable=True),
        sa.Column("changes", postgresql.JSONB(), nullable=False, server_default="{}"),
        sa.Column("source_address", sa.String(64), nullable=True),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_entries"),
    )
    op.create_index("ix_audit_newest", "audit_entries", ["at", "id"])
    op.create_index("ix_audit_actor", "audit_entries", ["actor_id", "id"])
    op.create_index("ix_audit_object", "audit_entries", ["object_type", "object_id", "id"])
    for statement in grant_statements(["api_tokens", "audit_entries"]):
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("audit_entries")
    op.drop_table("api_tokens")
    op.drop_constraint("uq_users_auth_source", "users")
    op.execute("UPDATE users SET password_hash = '!' WHERE password_hash IS NULL")
    op.alter_column("users", "password_hash", nullable=False)
    op.drop_column("users", "external_id")
    op.drop_column("users", "auth_source")
