"""Read what a backup needs from PostgreSQL. Workers read the inventory; they never write it.

- **The devices** as their backups see them: one statement reads every (device, run) pair that
  concurrent backups asked for at once (device_batch.py gathers them).
- **Its jump host**, when it goes through one: its own (`devices.jump_host_id`), else the one its
  tags name (lowest tag name first), read with the device (its login: logins.py).
- **Its logins**: logins.py.
- **Management networks** (table `management_networks`, the api's): when any is defined, a device
  whose address (for a DNS name, the address it resolved to) falls in none gets no connection at
  all: no session, so no credential, and no reachability probe. An address someone slipped into
  the inventory cannot make the worker hand out passwords. No network defined means no
  restriction.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from asyncpg import Record
from netraven_shared.db.models import (
    ConfigVersion,
    Device,
    JumpHost,
    ManagementNetwork,
    ResultStatus,
    RunResult,
    Tag,
)
from netraven_shared.db.models.tag import device_tags
from netraven_shared.host_keys import HostKey
from netraven_shared.metrics.db_pool import watch_pool
from netraven_shared.outage import is_outage
from netraven_shared.rejection import Rejected
from netraven_shared.tracing.provider import trace_queries
from sqlalchemy import Select, String, bindparam, column, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine


@dataclass(frozen=True)
class JumpHostRow:
    """The jump host a device goes through, before its credential is read."""

    name: str
    address: str
    port: int
    pinned_host_key: HostKey
    credential_id: UUID


@dataclass(frozen=True)
class BackupDevice:
    """A device as one backup sees it, with its tags, the size of its newest stored config (None
    before its first backup), the status of its result in the run (None if the run has none), its
    pinned host key and bound credential (None until a session learned them, or after an admin
    cleared them) and the management networks (empty: no restriction)."""

    id: UUID
    hostname: str
    ip_address: str
    device_type: str
    port: int
    timeout_seconds: int | None
    legacy_ssh: bool
    tag_ids: frozenset[UUID]
    last_config_bytes: int | None
    result_status: str | None
    pinned_host_key: HostKey | None
    bound_credential_id: UUID | None
    management_networks: tuple[str, ...]
    transport: str = "ssh"
    jump_host: JumpHostRow | None = None

    @property
    def settled(self) -> bool:
        """Its result in the run is final already (an operator cancelled it, or another delivery
        of the same dispatch finished it): there is nothing to do."""
        return self.result_status not in (ResultStatus.QUEUED, ResultStatus.RUNNING)


def in_its_run(device: BackupDevice | None, device_id: UUID, run_id: UUID) -> BackupDevice:
    """The device a dispatch names, if its run holds it; a dispatch naming a device or run the
    database does not know (or a device the run lacks) is `Rejected`, so it is recorded, not
    silently dropped."""
    if device is None:
        raise Rejected(f"device {device_id} is not in the inventory")
    if device.result_status is None:
        raise Rejected(
            f"run {run_id} does not back up device {device_id} "
            "(unknown run, or not one of its devices)"
        )
    return device


def inventory_engine(database_url: str, pool_size: int) -> AsyncEngine:
    """The worker's engine, for reads only. Autocommit: a read is its one statement, with no BEGIN
    and no ROLLBACK round trip around it. No pre-ping either: a connection the database dropped
    fails its read as an outage, which `retried_through_outages` runs again on a fresh one. No
    overflow: a read waits a moment for a pooled connection rather than opening one it would close
    on return (a batch of dispatches arriving together did that for every read past `pool_size`,
    a PostgreSQL backend started and ended each time)."""
    engine = watch_pool(
        create_async_engine(
            database_url, pool_size=pool_size, max_overflow=0, isolation_level="AUTOCOMMIT"
        )
    )
    trace_queries(engine)
    return engine


# A dispatch names its device and its run.
DeviceInRun = tuple[UUID, UUID]


def _backup_devices_query() -> Select:
    uuids = ARRAY(PG_UUID(as_uuid=True))
    wanted = (
        func.unnest(bindparam("device_ids", type_=uuids), bindparam("run_ids", type_=uuids))
        .table_valued(column("device_id", PG_UUID()), column("run_id", PG_UUID()))
        .render_derived(name="wanted")
    )
    tag_ids = select(func.array_agg(device_tags.c.tag_id)).where(
        device_tags.c.device_id == Device.id
    )
    newest_size = (
        select(ConfigVersion.size_bytes)
        .where(ConfigVersion.device_id == Device.id)
        .order_by(ConfigVersion.committed_at.desc())
        .limit(1)
    )
    result_status = select(RunResult.status).where(
        RunResult.run_id == wanted.c.run_id, RunResult.device_id == Device.id
    )
    networks = select(func.array_agg(ManagementNetwork.cidr.cast(String)))
    tags_jump_host = (
        select(Tag.jump_host_id)
        .join(device_tags, device_tags.c.tag_id == Tag.id)
        .where(device_tags.c.device_id == Device.id, Tag.jump_host_id.is_not(None))
        .order_by(Tag.name)
        .limit(1)
    )
    jump_host_id = func.coalesce(Device.jump_host_id, tags_jump_host.scalar_subquery())
    return (
        select(
            wanted.c.run_id.label("run_id"),
            Device.id,
            Device.hostname,
            Device.ip_address,
            Device.device_type,
            Device.port,
            Device.timeout_seconds,
            Device.legacy_ssh,
            Device.transport,
            JumpHost.name.label("jump_host_name"),
            JumpHost.address.label("jump_host_address"),
            JumpHost.port.label("jump_host_port"),
            JumpHost.host_key_type.label("jump_host_key_type"),
            JumpHost.host_key_public.label("jump_host_key_public"),
            JumpHost.credential_id.label("jump_host_credential_id"),
            Device.host_key_type,
            Device.host_key_public,
            Device.bound_credential_id,
            tag_ids.scalar_subquery().label("tag_ids"),
            newest_size.scalar_subquery().label("last_config_bytes"),
            result_status.scalar_subquery().label("result_status"),
            networks.scalar_subquery().label("management_networks"),
        )
        .select_from(wanted)
        .join(Device, Device.id == wanted.c.device_id)
        .outerjoin(JumpHost, JumpHost.id == jump_host_id)
    )


# Compiled once to PostgreSQL's SQL and run as asyncpg's prepared statement: SQLAlchemy's
# per-execution work (parameters, result rows) cost more of a backup's CPU than the read itself.
_COMPILED = _backup_devices_query().compile(dialect=asyncpg_dialect())
BACKUP_DEVICES_SQL = str(_COMPILED)
_PARAMETER_ORDER = tuple(_COMPILED.positiontup or ())
_FIXED_PARAMETERS = {name: value for name, value in _COMPILED.params.items() if value is not None}


async def find_backup_devices(
    connection: AsyncConnection, wanted: Sequence[DeviceInRun]
) -> dict[DeviceInRun, BackupDevice]:
    """Every wanted device as its run's backup sees it, in one statement; a pair whose device the
    inventory lacks has no entry. A connection the database dropped is invalidated, so a retry
    takes a fresh one from the pool."""
    pairs = list(dict.fromkeys(wanted))
    values = _FIXED_PARAMETERS | {
        "device_ids": [device_id for device_id, _ in pairs],
        "run_ids": [run_id for _, run_id in pairs],
    }
    asyncpg_connection = (await connection.get_raw_connection()).driver_connection
    assert asyncpg_connection is not None  # a pooled connection that is checked out
    try:
        rows = await asyncpg_connection.fetch(
            BACKUP_DEVICES_SQL, *(values[name] for name in _PARAMETER_ORDER)
        )
    except Exception as error:
        if is_outage(error):
            await connection.invalidate()
        raise
    return {(row["id"], row["run_id"]): _backup_device(row) for row in rows}


def _backup_device(row: Record) -> BackupDevice:
    host_key_public = row["host_key_public"]
    return BackupDevice(
        id=row["id"],
        hostname=row["hostname"],
        ip_address=row["ip_address"],
        device_type=row["device_type"],
        port=row["port"],
        timeout_seconds=row["timeout_seconds"],
        legacy_ssh=row["legacy_ssh"],
        tag_ids=frozenset(row["tag_ids"] or ()),
        last_config_bytes=row["last_config_bytes"],
        result_status=row["result_status"],
        pinned_host_key=HostKey(key_type=row["host_key_type"], public_key=host_key_public)
        if host_key_public
        else None,
        bound_credential_id=row["bound_credential_id"],
        management_networks=tuple(row["management_networks"] or ()),
        transport=row["transport"],
        jump_host=JumpHostRow(
            name=row["jump_host_name"],
            address=row["jump_host_address"],
            port=row["jump_host_port"],
            pinned_host_key=HostKey(
                key_type=row["jump_host_key_type"], public_key=row["jump_host_key_public"]
            ),
            credential_id=row["jump_host_credential_id"],
        )
        if row["jump_host_name"] is not None
        else None,
    )
