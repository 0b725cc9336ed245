"""Each service's PostgreSQL login can do what the grant matrix says, and nothing else.

Every privilege of every service is tried on every table of the migrated test database, as that
service's own login: what the matrix grants gets past the privilege check, the rest is refused with
"permission denied". The e2e and fault stacks run each service as its login too, so the real flows
prove the grants are enough.
"""

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import asyncpg
import pytest
from alembic import command
from netraven_gitkeeper.repository import mark_missing, record_versions
from netraven_log_collector.rejections import RejectionWriter
from netraven_log_collector.writer import LogWriter
from netraven_notifier import deliveries
from netraven_notifier import repository as notifier_repository
from netraven_notifier.notification import Notification
from netraven_notifier.sender import Outcome
from netraven_shared.db.migrate import alembic_config, upgrade
from netraven_shared.db.service_grants import (
    GRANTS,
    ROLES,
    create_roles_statement,
    granted,
    grants_table,
)
from netraven_shared.db.service_logins import database_url_for, ensure_logins
from netraven_shared.db.session import create_engine, session_factory
from netraven_shared.events import EventRejected, LogEmitted
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.databases import fresh_database
from tests.fixtures.infra import Infra
from tests.fixtures.stack import DATABASE_PASSWORDS

PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")


class _Allowed(Exception):
    """Raised inside a probe's transaction to roll back what an allowed statement did."""


async def connect(url: str) -> asyncpg.Connection:
    parts = make_url(url)
    return await asyncpg.connect(
        host=parts.host,
        port=parts.port,
        user=parts.username,
        password=parts.password,
        database=parts.database,
    )


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


@asynccontextmanager
async def login_sessions(url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(url, pool_size=1)
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


async def insert_device(owner: asyncpg.Connection) -> UUID:
    device_id = uuid4()
    await owner.execute(
        (
            "INSERT INTO devices (id, hostname, ip_address, device_type, port, "
            "created_at) VALUES ($1, $2, '192.0.2.1', 'cisco_ios', 22, now())"
        ),
        device_id,
        f"roles-{device_id.hex[:8]}",
    )
    return device_id


@pytest.fixture(scope="module")
def logins(infra: Infra) -> dict[str, str]:
    asyncio.run(ensure_logins(infra.database_url, DATABASE_PASSWORDS))
    return {
        service: database_url_for(infra.database_url, service, password)
        for service, password in DATABASE_PASSWORDS.items()
    }


@pytest.fixture
async def owner(infra: Infra) -> AsyncIterator[asyncpg.Connection]:
    connection = await connect(infra.database_url)
    yield connection
    await connection.close()


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


class TestServiceCode:
    """The services' own statements, run as their logins: shapes a probe cannot foresee (ON CONFLICT
    reads its conflict columns, a cascade runs as the table's owner) are checked here."""

    async def test_log_collector_appends_log_lines_and_rejections(self, logins, owner):
        line = LogEmitted(
            level="info", log_type="system", message="written as the log-collector", source="test"
        )
        rejection = EventRejected(
            rejected_subject="netraven.backups.succeeded", reason="role test", service="gitkeeper"
        )
        async with login_sessions(logins["log-collector"]) as sessions:
            await LogWriter(sessions).write([line])
            await RejectionWriter(sessions).write([rejection])
            await LogWriter(sessions).write([line])  # again: the conflict is skipped, not refused
        assert (
            await owner.fetchval("SELECT count(*) FROM logs WHERE event_id = $1", line.event_id)
            == 1
        )
        assert (
            await owner.fetchval(
                "SELECT count(*) FROM rejected_events WHERE event_id = $1", rejection.event_id
            )
            == 1
        )

    async def test_the_notifier_routes_records_and_finds_stale_devices(self, logins, owner):
        device_id = await insert_device(owner)
        notification = Notification(
            event_id=uuid4(),
            kind="stale",
            severity="warning",
            title="role test",
            text="written as the notifier",
            occurred_at=datetime.now(UTC),
            device_id=device_id,
        )
        channel_id = await owner.fetchval(
            "INSERT INTO notification_channels (id, name, kind, target_encrypted, target_display,"
            " key_id, enabled, from_environment, created_at)"
            " VALUES ($1, $2, 'webhook', 'x', 'http://x', 'k', false, false, now()) RETURNING id",
            uuid4(),
            f"roles-{uuid4().hex[:8]}",
        )
        async with login_sessions(logins["notifier"]) as sessions, sessions() as session:
            assert channel_id in {row.id for row in await notifier_repository.channels(session)}
            await notifier_repository.enabled_rules(session)
            assert await notifier_repository.device_tag_ids(session, device_id) == frozenset()
            stale = await notifier_repository.stale_devices(
                session, datetime.now(UTC) + timedelta(days=2), 26
            )
            assert device_id in {device.device_id for device in stale}
            (row,) = await deliveries.record(session, notification, {channel_id: "pending"})
            assert await deliveries.record(session, notification, {channel_id: "pending"}) == []
            await deliveries.settle(session, row.delivery_id, Outcome(attempts=3, error="down"))
            await deliveries.due_again(
                session, datetime.now(UTC) - timedelta(hours=1), datetime.now(UTC), 10
            )
            await session.commit()
        assert (
            await owner.fetchval(
                "SELECT status FROM notification_deliveries WHERE id = $1", row.delivery_id
            )
            == "failed"
        )

    async def test_gitkeeper_records_and_marks_versions(self, logins, owner):
        device_id = await insert_device(owner)
        version = {
            "device_id": device_id,
            "commit": "c" * 40,
            "path": "x.cfg",
            "sha256": "d" * 64,
            "size_bytes": 1,
            "committed_at": datetime.now(UTC),
        }
        async with login_sessions(logins["gitkeeper"]) as sessions, sessions() as session:
            await record_versions(session, [version])
            await record_versions(session, [version])
            await mark_missing(session, {"c" * 40})
            await session.commit()
        assert (
            await owner.fetchval(
                "SELECT missing_from_repo FROM config_versions WHERE device_id = $1", device_id
            )
            is True
        )

    async def test_api_deletes_a_device_and_its_versions_go_with_it(self, logins, owner):
        device_id = await insert_device(owner)
        await owner.execute(
            (
                "INSERT INTO config_versions (device_id, commit, path, sha256, "
                "size_bytes, committed_at) VALUES ($1, $2, 'x.cfg', $3, 1, now())"
            ),
            device_id,
            "a" * 40,
            "b" * 64,
        )
        connection = await connect(logins["api"])
        try:
            assert (
                await connection.execute("DELETE FROM devices WHERE id = $1", device_id)
                == "DELETE 1"
            )
        finally:
            await connection.close()
        assert (
            await owner.fetchval(
                "SELECT count(*) FROM config_versions WHERE device_id = $1", device_id
            )
            == 0
        )
