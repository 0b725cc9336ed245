"""Service roles: one PostgreSQL group role per service, holding only the grants it needs

Revision ID: 0010
Revises: 0009

The matrix is `netraven_shared.db.service_grants`. The tables are those of this revision: a later
migration that creates a table grants it itself. Roles are cluster-wide and may serve other
databases, so the downgrade revokes this database's grants and leaves the roles.
"""

from alembic import op
from netraven_shared.db.service_grants import (
    connect_statement,
    create_roles_statement,
    grant_statements,
    revoke_statements,
)

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLES = (
    "users",
    "tags",
    "devices",
    "device_tags",
    "credentials",
    "credential_tags",
    "management_networks",
    "jobs",
    "job_devices",
    "job_tags",
    "runs",
    "run_results",
    "outbox",
    "config_versions",
    "logs",
    "rejected_events",
)


def upgrade() -> None:
    op.execute(create_roles_statement())
    op.execute(connect_statement())
    # PostgreSQL before 15 lets everyone create tables in `public`; no service may.
    op.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    for statement in grant_statements(TABLES):
        op.execute(statement)


def downgrade() -> None:
    for statement in revoke_statements(TABLES):
        op.execute(statement)
