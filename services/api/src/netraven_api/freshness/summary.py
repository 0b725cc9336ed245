"""The fleet's freshness from every device's: age buckets, stale counts, per tag, the stalest.
Pure, so the endpoint and the Prometheus gauges count alike."""

from datetime import datetime, timedelta
from uuid import UUID

from netraven_shared.db.freshness import DeviceFreshness

from netraven_api.freshness.schemas import (
    AGE_BUCKETS,
    AgeBucket,
    DeviceAge,
    FleetFreshness,
    TagFreshness,
)

TagsOfDevice = dict[UUID, list[tuple[str, int | None]]]

_BUCKET_LIMITS: tuple[tuple[AgeBucket, timedelta], ...] = (
    ("1h", timedelta(hours=1)),
    ("6h", timedelta(hours=6)),
    ("24h", timedelta(hours=24)),
    ("7d", timedelta(days=7)),
)


def age_bucket(device: DeviceFreshness, now: datetime) -> AgeBucket:
    if device.last_good_backup is None:
        return "never"
    age = now - device.last_good_backup
    return next((name for name, limit in _BUCKET_LIMITS if age < limit), "older")


def _device_age(device: DeviceFreshness, now: datetime) -> DeviceAge:
    return DeviceAge(
        id=device.device_id,
        hostname=device.hostname,
        last_good_backup=device.last_good_backup,
        age_seconds=device.age_seconds(now),
        stale_after_hours=device.threshold_hours,
        stale=device.stale(now),
        orphaned=device.orphaned,
    )


def _tags(
    devices: list[DeviceFreshness], tags: TagsOfDevice, now: datetime, default_hours: float
) -> list[TagFreshness]:
    by_tag: dict[str, TagFreshness] = {}
    for device in devices:
        for name, own_hours in tags.get(device.device_id, []):
            tag = by_tag.setdefault(
                name,
                TagFreshness(
                    tag=name,
                    stale_after_hours=own_hours if own_hours is not None else default_hours,
                    devices=0,
                    stale=0,
                    oldest_age_seconds=0.0,
                ),
            )
            tag.devices += 1
            tag.stale += device.stale(now)
            tag.oldest_age_seconds = max(tag.oldest_age_seconds, device.age_seconds(now))
    return sorted(by_tag.values(), key=lambda t: (-t.stale, -t.oldest_age_seconds, t.tag))


def summarize(
    devices: list[DeviceFreshness],
    tags: TagsOfDevice,
    now: datetime,
    default_hours: float,
    stalest: int,
) -> FleetFreshness:
    buckets = dict.fromkeys(AGE_BUCKETS, 0)
    for device in devices:
        buckets[age_bucket(device, now)] += 1
    oldest_first = sorted(devices, key=lambda d: (d.since, d.hostname))
    return FleetFreshness(
        generated_at=now,
        default_stale_after_hours=default_hours,
        devices=len(devices),
        stale=sum(device.stale(now) for device in devices),
        buckets=buckets,
        tags=_tags(devices, tags, now, default_hours),
        stalest=[_device_age(device, now) for device in oldest_first[:stalest]],
    )
