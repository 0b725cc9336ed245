"""Backup freshness, the one rule the notifier's stale notices, the api's freshness figures and its
`?stale=` filter share.

- A device's **last good backup** is the newest succeeded result of a backup run (a reachability
  check is not a backup); a device never backed up counts from its creation.
- Its **threshold** is the lowest `stale_after_hours` of its tags, else the default
  (`NETRAVEN_STALE_AFTER_HOURS`, 26).
- It is **stale** when its last good backup (else its creation) is older than its threshold.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Float,
    Result,
    Select,
    Subquery,
    func,
    literal,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_shared.db.models import Device, Run, RunResult, Tag, device_tags

DEFAULT_STALE_AFTER_HOURS = 26.0


def _last_good_backups() -> Subquery:
    """Each device's last good backup (`device_id`, `at`): one pass over the results, not one per
    device (run_results has no index on its device)."""
    return (
        select(RunResult.device_id, func.max(RunResult.finished_at).label("at"))
        .join(Run, Run.id == RunResult.run_id)
        .where(RunResult.status == "succeeded", Run.kind == "backup")
        .group_by(RunResult.device_id)
        .subquery("last_good")
    )


def threshold_hours(default_hours: float) -> ColumnElement[float]:
    """The device's stale threshold in hours (correlated to `Device`)."""
    lowest_of_tags = (
        select(func.min(Tag.stale_after_hours))
        .join(device_tags, device_tags.c.tag_id == Tag.id)
        .where(device_tags.c.device_id == Device.id)
        .scalar_subquery()
    )
    return func.coalesce(lowest_of_tags, literal(float(default_hours), Float))


def _freshness(default_hours: float, stale_at: datetime | None = None) -> Select:
    """Every device's freshness; only the devices stale at `stale_at` when given."""
    last_good = _last_good_backups()
    since = func.coalesce(last_good.c.at, Device.created_at)
    hours = threshold_hours(default_hours)
    statement = select(
        Device.id,
        Device.hostname,
        last_good.c.at.label("last_good"),
        since.label("since"),
        hours.label("hours"),
        Device.orphaned_at.is_not(None).label("orphaned"),
    ).outerjoin(last_good, last_good.c.device_id == Device.id)
    if stale_at is not None:
        statement = statement.where(
            since < literal(stale_at, DateTime(timezone=True)) - hours * timedelta(hours=1)
        )
    return statement


def is_stale(now: datetime, default_hours: float) -> ColumnElement[bool]:
    """Whether the device (`Device.id` of the enclosing query) is stale at `now`."""
    stale_ids = _freshness(default_hours, now).with_only_columns(Device.id).correlate(None)
    return Device.id.in_(stale_ids)


@dataclass(frozen=True)
class DeviceFreshness:
    device_id: UUID
    hostname: str
    last_good_backup: datetime | None
    # the last good backup, or the device's creation when it never had one
    since: datetime
    threshold_hours: float
    orphaned: bool

    def age_seconds(self, now: datetime) -> float:
        return max((now - self.since).total_seconds(), 0.0)

    def stale(self, now: datetime) -> bool:
        return now - self.since > timedelta(hours=self.threshold_hours)


def _rows_to_freshness(rows: Result[Any]) -> list[DeviceFreshness]:
    return [
        DeviceFreshness(
            device_id=row.id,
            hostname=row.hostname,
            last_good_backup=row.last_good,
            since=row.since,
            threshold_hours=row.hours,
            orphaned=row.orphaned,
        )
        for row in rows
    ]


async def device_freshness(session: AsyncSession, default_hours: float) -> list[DeviceFreshness]:
    """Every device's freshness (orphaned devices too, as the devices list shows them)."""
    return _rows_to_freshness(await session.execute(_freshness(default_hours)))


async def stale_devices(
    session: AsyncSession, now: datetime, default_hours: float
) -> list[DeviceFreshness]:
    """The devices stale at `now`."""
    return _rows_to_freshness(await session.execute(_freshness(default_hours, now)))


async def device_tag_names(session: AsyncSession) -> dict[UUID, list[tuple[str, int | None]]]:
    """Each device's tags: (name, own `stale_after_hours`)."""
    rows = await session.execute(
        select(device_tags.c.device_id, Tag.name, Tag.stale_after_hours).join(
            Tag, Tag.id == device_tags.c.tag_id
        )
    )
    tags: dict[UUID, list[tuple[str, int | None]]] = {}
    for row in rows:
        tags.setdefault(row.device_id, []).append((row.name, row.stale_after_hours))
    return tags
