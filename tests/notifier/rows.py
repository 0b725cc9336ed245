"""Channels, rules, devices and tags written straight into PostgreSQL, as the api would write them
(the channel's target and secret encrypted with the tests' key ring)."""

import uuid
from uuid import UUID

from netraven_shared.db.models import Device, NotificationChannel, NotificationRule, Tag
from netraven_shared.db.models.notification import EVENT_KINDS
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.api import CIPHER


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def add_channel(
    sessions: async_sessionmaker[AsyncSession],
    target: str,
    *,
    kind: str = "webhook",
    secret: str | None = None,
    digest_minutes: int | None = None,
    event_kinds: tuple[str, ...] = EVENT_KINDS,
    min_severity: str = "info",
    tag_ids: tuple[UUID, ...] = (),
    enabled: bool = True,
) -> UUID:
    """A channel and one rule sending it `event_kinds` at `min_severity`, for `tag_ids`."""
    async with sessions() as session:
        channel = NotificationChannel(
            name=unique("channel"),
            kind=kind,
            target_encrypted=CIPHER.encrypt(target),
            target_display=target.split("?")[0][:100],
            hmac_secret_encrypted=CIPHER.encrypt(secret) if secret else None,
            key_id=CIPHER.primary_key_id,
            digest_minutes=digest_minutes,
            enabled=enabled,
        )
        session.add(channel)
        await session.flush()
        tags = [await session.get(Tag, tag_id) for tag_id in tag_ids]
        session.add(
            NotificationRule(
                name=unique("rule"),
                channel_id=channel.id,
                event_kinds=list(event_kinds),
                min_severity=min_severity,
                tags=tags,
            )
        )
        await session.commit()
        return channel.id


async def add_tag(
    sessions: async_sessionmaker[AsyncSession], stale_after_hours: int | None = None
) -> UUID:
    async with sessions() as session:
        tag = Tag(name=unique("tag"), stale_after_hours=stale_after_hours)
        session.add(tag)
        await session.commit()
        return tag.id


async def add_device(
    sessions: async_sessionmaker[AsyncSession], tag_ids: tuple[UUID, ...] = ()
) -> Device:
    async with sessions() as session:
        device = Device(
            hostname=unique("dev"),
            ip_address="192.0.2.1",
            device_type="cisco_ios",
            tags=[await session.get(Tag, tag_id) for tag_id in tag_ids],
        )
        session.add(device)
        await session.commit()
        return device
