"""Each service's PostgreSQL login can do what the grant matrix says, and nothing else.

Every privilege of every service is tried on every table of the migrated test database, as that
service's own login: what the matrix grants gets past the privilege check, the rest is refused with
"permission denied". The e2e and fault stacks run each service as its login too, so the real flows
prove the grants are enough.
"""

import asyncio
import re
from pathlib import Path
from uuid import uuid4

import asyncpg
import pytest
from alembic import command
from netraven_shared.db.migrate import alembic_config, upgrade
from netraven_shared.db.service_grants import (
    GRANTS,
    ROLES,
    create_roles_statement,
    granted,
    grants_table,
)

from tests.fixtures.databases import fresh_database
from tests.shared.database_logins import connect

PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")


class _Allowed(Exception):
    """Raised inside a probe's transaction to roll back what an allowed statement did."""


MATRIX = {
    (ROLES[service], table, privilege)
    for service, grants in GRANTS.items()
    for table, privileges in grants.items()
    for privilege in privileges
}


async def held_grants(connection: asyncpg.Connection) -> set[tuple[str, str, str]]:
    rows = await connection.fetch(
        "SELECT grantee, table_name, privilege_type FROM information_schema.role_table_grants"
        " WHERE table_schema = 'public' AND grantee = ANY($1::text[])",
        list(ROLES.values()),
    )
    return {(row["grantee"], row["table_name"], row["privilege_type"]) for row in rows}


async def schema_tables(connection: asyncpg.Connection) -> dict[str, str]:
    """Each table of the schema but Alembic's, with one of its columns."""
    rows = await connection.fetch(
        "SELECT table_name, min(column_name) AS column_name FROM information_schema.columns"
        " WHERE table_schema = 'public' AND table_name <> 'alembic_version' GROUP BY table_name"
    )
    return {row["table_name"]: row["column_name"] for row in rows}


def probe(privilege: str, table: str, column: str) -> str:
    """A statement that needs exactly `privilege` on `table` and changes nothing that stays."""
    return {
        "SELECT": f"SELECT 1 FROM {table} LIMIT 1",
        "INSERT": f"INSERT INTO {table} DEFAULT VALUES",
        "UPDATE": f"UPDATE {table} SET {column} = NULL WHERE false",
        "DELETE": f"DELETE FROM {table} WHERE false",
    }[privilege]


async def allowed(connection: asyncpg.Connection, statement: str) -> bool:
    """True when PostgreSQL lets the statement past its privilege checks (a missing value does not
    count)."""
    try:
        async with connection.transaction():
            await connection.execute(statement)
            raise _Allowed
    except asyncpg.InsufficientPrivilegeError:
        return False
    except (_Allowed, asyncpg.IntegrityConstraintViolationError):
        return True


class TestMatrix:
    async def test_every_table_is_in_the_matrix(self, owner):
        named = {table for grants in GRANTS.values() for table in grants}
        assert set(await schema_tables(owner)) == named, (
            "a new table needs its grants in service_grants.py"
        )

    async def test_the_database_holds_exactly_the_matrix(self, owner):
        assert await held_grants(owner) == MATRIX

    async def test_downgrade_revokes_every_grant_and_upgrade_restores_them(self, infra):
        url = await fresh_database(infra, "netraven_roles")
        connection = await connect(url)
        try:
            await asyncio.to_thread(command.downgrade, alembic_config(url), "0009")
            assert await held_grants(connection) == set()
            await asyncio.to_thread(upgrade, url)
            assert await held_grants(connection) == MATRIX
        finally:
            await connection.close()

    async def test_existing_roles_are_kept_without_createrole(self, logins):
        connection = await connect(logins["api"])
        try:
            await connection.execute(create_roles_statement())
        finally:
            await connection.close()

    async def test_group_roles_cannot_log_in(self, owner):
        rows = await owner.fetch(
            "SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname = ANY($1::text[])",
            list(ROLES.values()),
        )
        assert {row["rolname"]: row["rolcanlogin"] for row in rows} == dict.fromkeys(
            ROLES.values(), False
        )

    def test_operations_document_shows_the_matrix(self):
        text = (Path(__file__).resolve().parents[2] / "docs" / "operations.md").read_text()
        block = re.search(
            r"<!-- database-roles:[^\n]*-->\n(.*?)<!-- /database-roles -->", text, re.DOTALL
        )
        assert block and block.group(1) == grants_table(), (
            "docs/operations.md is stale: run `make docs`"
        )


@pytest.mark.parametrize("service", list(ROLES))
class TestEachLogin:
    async def test_can_do_what_the_matrix_grants_and_nothing_else(self, service, logins, owner):
        tables = await schema_tables(owner)
        connection = await connect(logins[service])
        try:
            outcomes = {
                (table, privilege): await allowed(connection, probe(privilege, table, column))
                for table, column in tables.items()
                for privilege in PRIVILEGES
            }
        finally:
            await connection.close()
        expected = {
            (table, privilege): privilege in granted(service, table)
            for table, privilege in outcomes
        }
        assert outcomes == expected

    async def test_cannot_create_tables_or_roles(self, service, logins):
        connection = await connect(logins[service])
        try:
            assert not await allowed(
                connection, f"CREATE TABLE intruder_{uuid4().hex[:8]} (id int)"
            )
            assert not await allowed(connection, f"CREATE ROLE intruder_{uuid4().hex[:8]}")
        finally:
            await connection.close()
