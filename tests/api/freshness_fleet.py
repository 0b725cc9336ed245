"""A small fleet with backdated backups, on one new tag, for the freshness tests: what each device
is and where its age puts it."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from httpx import AsyncClient
from netraven_shared.db.models import Device
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.factories import create_device, record_backup, unique


@dataclass(frozen=True)
class Fleet:
    tag: str
    second_tag: str
    by_name: dict[str, dict]  # role in the fleet -> the device as the api returned it

    def hostname(self, role: str) -> str:
        return self.by_name[role]["hostname"]


async def _backdate_creation(
    sessions: async_sessionmaker[AsyncSession], device_id: str, at: datetime
) -> None:
    async with sessions() as session:
        await session.execute(
            update(Device).where(Device.id == UUID(device_id)).values(created_at=at)
        )
        await session.commit()


async def build_fleet(
    admin: AsyncClient, sessions: async_sessionmaker[AsyncSession], now: datetime
) -> Fleet:
    """On a tag stale after 2 hours: `fresh` (backed up 30 min ago), `recent` (3 h: stale),
    `day` (12 h), `week` (3 days), `ancient` (30 days), `never` (created 5 h ago, only failed
    backups), and `checked` (created now, only a succeeded reachability check). `recent` also
    carries a second tag with the default threshold."""
    tag, second_tag = unique("fresh"), unique("fresh2")
    created = await admin.post("/api/tags", json={"name": tag, "stale_after_hours": 2})
    assert created.status_code == 201, created.text
    ages = {
        "fresh": timedelta(minutes=30),
        "recent": timedelta(hours=3),
        "day": timedelta(hours=12),
        "week": timedelta(days=3),
        "ancient": timedelta(days=30),
    }
    devices = {}
    for role in (*ages, "never", "checked"):
        devices[role] = await create_device(admin, 22, tag, hostname=unique(role))
    for role, age in ages.items():
        await record_backup(sessions, devices[role]["id"], "failed", now - age / 2)
        await record_backup(sessions, devices[role]["id"], "succeeded", now - age)
    await record_backup(sessions, devices["never"]["id"], "failed", now - timedelta(hours=1))
    await _backdate_creation(sessions, devices["never"]["id"], now - timedelta(hours=5))
    await record_backup(sessions, devices["checked"]["id"], "succeeded", now, kind="reachability")
    tagged = await admin.patch(
        f"/api/devices/{devices['recent']['id']}", json={"tags": [tag, second_tag]}
    )
    assert tagged.status_code == 200, tagged.text
    return Fleet(tag=tag, second_tag=second_tag, by_name=devices)
