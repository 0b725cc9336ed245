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

from sqlalchemy import ColumnElement, DateTime, Float, Result, Select, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_shared.db.models import Device, Run, RunResult, Tag, device_tags

DEFAULT_STALE_AFTER_HOURS = 26.0


def last_good_backup() -> ColumnElement[datetime | None]:
    """When the device (correlated to `Device`) last had a good backup; null: never."""
    return (
        select(func.max(RunResult.finished_at))
        .join(Run, Run.id == RunResult.run_id)
        .where(
            RunResult.device_id == Device.id,
            RunResult.status == "succeeded",
            Run.kind == "backup",
        )
        .scalar_subquery()
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


def is_stale(now: datetime, default_hours: float) -> ColumnElement[bool]:
    """Whether the device (correlated to `Device`) is stale at `now`."""
    since = func.coalesce(last_good_backup(), Device.created_at)
    return since < literal(now, DateTime(timezone=True)) - threshold_hours(
        default_hours
    ) * timedelta(hours=1)


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


def _freshness(default_hours: float) -> Select:
    last_good = last_good_backup().label("last_good")
    return select(
        Device.id,
        Device.hostname,
        last_good,
        func.coalesce(last_good, Device.created_at).label("since"),
        threshold_hours(default_hours).label("hours"),
        Device.orphaned_at.is_not(None).label("orphaned"),
    )


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
    statement = _freshness(default_hours).where(is_stale(now, default_hours))
    return _rows_to_freshness(await session.execute(statement))


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
