"""The version index in PostgreSQL: gitkeeper writes it so the api never walks git.

Rows whose commit is no longer in the repository (a repository restored from an older backup) are
marked `missing_from_repo` rather than deleted, and are left out of "newest version" lookups.

What a batch of backups asks (their origins, their devices' newest versions, the rows to add) is
one Core statement each, whatever the batch's size: the values travel as arrays (`unnest`), and
rows come back as tuples, not ORM objects.
"""

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from netraven_shared.db.models import ConfigVersion, Device, Run, RunResult
from sqlalchemy import (
    BindParameter,
    CursorResult,
    String,
    Text,
    Uuid,
    all_,
    and_,
    any_,
    column,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, distinct_on, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeEngine

from netraven_gitkeeper.planner import Newest

_VERSIONS, _DEVICES = ConfigVersion.__table__, Device.__table__
_RUNS, _RESULTS = Run.__table__, RunResult.__table__
_ROW_COLUMNS = (
    "device_id",
    "commit",
    "path",
    "sha256",
    "size_bytes",
    "committed_at",
    "run_id",
    "changed_lines",
    "outputs_sha256",
)
_NEWEST_FIRST = (ConfigVersion.committed_at.desc(), ConfigVersion.id.desc())


def _one_parameter(
    values: Collection, item_type: type[TypeEngine[Any]] | TypeEngine[Any]
) -> BindParameter[Any]:
    """Values bound as one array: a start-up over a whole repository can name more than the 32767
    parameters asyncpg allows in a statement, which `IN (...)` would spend one per value."""
    return literal(list(values), ARRAY(item_type))


async def previous_version(session: AsyncSession, version: ConfigVersion) -> ConfigVersion | None:
    return await session.scalar(
        select(ConfigVersion)
        .where(
            ConfigVersion.device_id == version.device_id,
            ConfigVersion.id != version.id,
            ConfigVersion.committed_at <= version.committed_at,
            ConfigVersion.missing_from_repo.is_(False),
        )
        .order_by(*_NEWEST_FIRST)
        .limit(1)
    )


async def find_version(session: AsyncSession, device_id: UUID, commit: str) -> ConfigVersion | None:
    return await session.scalar(
        select(ConfigVersion).where(
            ConfigVersion.device_id == device_id, ConfigVersion.commit.startswith(commit)
        )
    )


def _array_item_type(name: str) -> TypeEngine[Any]:
    """The type a column's values travel in: strings unbounded, since casting to `varchar(n)[]`
    would silently cut a value the column must refuse."""
    column_type = _VERSIONS.c[name].type
    return Text() if isinstance(column_type, String) else column_type


async def newest_versions(
    session: AsyncSession, device_ids: Collection[UUID]
) -> dict[UUID, Newest]:
    """The newest version of each device given (devices without one are left out): its commit,
    digests and run, as the planner needs them."""
    rows = await session.execute(
        select(
            _VERSIONS.c.device_id,
            _VERSIONS.c.commit,
            _VERSIONS.c.sha256,
            _VERSIONS.c.run_id,
            _VERSIONS.c.outputs_sha256,
        )
        .ext(distinct_on(_VERSIONS.c.device_id))
        .where(
            _VERSIONS.c.device_id == any_(_one_parameter(device_ids, Uuid)),
            _VERSIONS.c.missing_from_repo.is_(False),
        )
        .order_by(_VERSIONS.c.device_id, _VERSIONS.c.committed_at.desc(), _VERSIONS.c.id.desc())
    )
    return {
        row.device_id: Newest(row.commit, row.sha256, row.run_id, row.outputs_sha256)
        for row in rows
    }


async def record_versions(session: AsyncSession, versions: list[dict]) -> None:
    """Idempotent: the same commit for the same device is recorded once. A row recorded again
    with an outputs digest fills in its digest if it had none: a version indexed before outputs
    were digested, which git shows holds these outputs (see `Fate.ALREADY_IN_GIT`)."""
    if not versions:
        return
    rows = (
        func.unnest(
            *(
                _one_parameter([version.get(name) for version in versions], _array_item_type(name))
                for name in _ROW_COLUMNS
            )
        )
        .table_valued(*_ROW_COLUMNS)
        .render_derived()
    )
    statement = insert(ConfigVersion).from_select(
        _ROW_COLUMNS, select(*(rows.c[name] for name in _ROW_COLUMNS))
    )
    await session.execute(
        statement.on_conflict_do_update(
            constraint="uq_config_versions_device_commit",
            set_={"outputs_sha256": statement.excluded.outputs_sha256},
            where=ConfigVersion.outputs_sha256.is_(None),
        )
    )


async def latest_versions(session: AsyncSession) -> list[ConfigVersion]:
    """The newest version of every device."""
    return list(
        await session.scalars(
            select(ConfigVersion)
            .ext(distinct_on(ConfigVersion.device_id))
            .where(ConfigVersion.missing_from_repo.is_(False))
            .order_by(ConfigVersion.device_id, *_NEWEST_FIRST)
        )
    )


@dataclass(frozen=True)
class FileOwner:
    device_id: UUID
    hostname: str
    device_type: str


async def file_owners(session: AsyncSession) -> dict[str, FileOwner]:
    """The device of each path in the index: the one whose newest version was stored at that
    path."""
    rows = await session.execute(
        select(ConfigVersion.path, Device.id, Device.hostname, Device.device_type)
        .join(Device, Device.id == ConfigVersion.device_id)
        .ext(distinct_on(ConfigVersion.path))
        .where(ConfigVersion.missing_from_repo.is_(False))
        .order_by(ConfigVersion.path, *_NEWEST_FIRST)
    )
    return {row.path: FileOwner(row.id, row.hostname, row.device_type) for row in rows}


async def existing_devices(session: AsyncSession, device_ids: list[UUID]) -> set[UUID]:
    return set(
        await session.scalars(
            select(Device.id).where(Device.id == any_(_one_parameter(device_ids, Uuid)))
        )
    )


@dataclass(frozen=True)
class BackupOrigin:
    """What PostgreSQL says about one (run, device) backup: the device's identity and the run's
    job."""

    hostname: str
    device_type: str
    job_id: UUID | None
    correlation_id: UUID
    run_kind: str


async def backup_origins(
    session: AsyncSession, pairs: set[tuple[UUID, UUID]]
) -> dict[tuple[UUID, UUID], BackupOrigin]:
    """The origin of each (run_id, device_id) whose run has a result for that device; others are
    left out."""
    if not pairs:
        return {}
    wanted = (
        func.unnest(
            _one_parameter([run_id for run_id, _ in pairs], Uuid),
            _one_parameter([device_id for _, device_id in pairs], Uuid),
        )
        .table_valued(column("run_id", Uuid()), column("device_id", Uuid()))
        .render_derived()
    )
    # The pairs are matched to their results first, on the whole key: a planner left to order
    # all four relations itself, with no statistics yet (a fresh fleet's first run), scanned
    # every result of the run once per pair.
    matched = (
        select(_RESULTS.c.run_id, _RESULTS.c.device_id)
        .select_from(wanted)
        .join(
            _RESULTS,
            and_(_RESULTS.c.run_id == wanted.c.run_id, _RESULTS.c.device_id == wanted.c.device_id),
        )
        .cte("matched")
        .prefix_with("MATERIALIZED")
    )
    rows = await session.execute(
        select(
            matched.c.run_id,
            matched.c.device_id,
            _DEVICES.c.hostname,
            _DEVICES.c.device_type,
            _RUNS.c.job_id,
            _RUNS.c.correlation_id,
            _RUNS.c.kind,
        )
        .select_from(matched)
        .join(_DEVICES, _DEVICES.c.id == matched.c.device_id)
        .join(_RUNS, _RUNS.c.id == matched.c.run_id)
    )
    return {
        (row.run_id, row.device_id): BackupOrigin(
            row.hostname, row.device_type, row.job_id, row.correlation_id, row.kind
        )
        for row in rows
    }


async def indexed_commits(session: AsyncSession) -> set[str]:
    return set(await session.scalars(select(ConfigVersion.commit).distinct()))


async def mark_missing(session: AsyncSession, missing: set[str]) -> tuple[int, int]:
    """Flag rows whose commit git lacks and clear the flag where it is back: (rows marked, rows
    restored)."""
    commits = _one_parameter(missing, String)
    marked = await session.execute(
        update(ConfigVersion)
        .where(ConfigVersion.commit == any_(commits), ConfigVersion.missing_from_repo.is_(False))
        .values(missing_from_repo=True)
    )
    restored = await session.execute(
        update(ConfigVersion)
        .where(ConfigVersion.commit != all_(commits), ConfigVersion.missing_from_repo.is_(True))
        .values(missing_from_repo=False)
    )
    return cast(CursorResult[Any], marked).rowcount, cast(CursorResult[Any], restored).rowcount
