"""Host-key statements: the run recorder's writes from what workers report, each one statement on
one device row by primary key (a batch locks nothing but the rows it changes), and the known_hosts
lookup."""

from datetime import datetime
from typing import Any, cast
from uuid import UUID

from netraven_shared.db.models import Device
from netraven_shared.host_keys import HostKey, HostKeyStatus
from sqlalchemy import CursorResult, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

CHUNK = 10_000  # names per statement, in two IN (...): asyncpg takes at most 32,767 parameters


async def pin_on_first_use(
    session: AsyncSession, device_id: UUID, key: HostKey, at: datetime
) -> str | None:
    """Pin `key` when nothing is pinned; else the fingerprint pinned, when it is another key's."""
    pinned = await session.execute(
        update(Device)
        .where(Device.id == device_id, Device.host_key_status == HostKeyStatus.NONE.value)
        .values(
            host_key_status=HostKeyStatus.PINNED.value,
            host_key_type=key.key_type,
            host_key_public=key.public_key,
            host_key_fingerprint=key.fingerprint,
            host_key_pinned_at=at,
            host_key_pinned_by="first use",
        )
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], pinned).rowcount:
        return None
    current = await session.scalar(
        select(Device.host_key_fingerprint).where(Device.id == device_id)
    )
    return current if current is not None and current != key.fingerprint else None


async def record_offer(session: AsyncSession, device_id: UUID, key: HostKey, at: datetime) -> None:
    """Keep an untrusted key the device offered, unless an admin decided on its key after the offer
    was seen (a late, redelivered event) or the key is the pinned one by now."""
    await session.execute(
        update(Device)
        .where(
            Device.id == device_id,
            Device.host_key_fingerprint.is_distinct_from(key.fingerprint),
            or_(Device.host_key_pinned_at.is_(None), Device.host_key_pinned_at < at),
            or_(Device.offered_host_key_at.is_(None), Device.offered_host_key_at <= at),
        )
        .values(
            offered_host_key_type=key.key_type,
            offered_host_key_public=key.public_key,
            offered_host_key_fingerprint=key.fingerprint,
            offered_host_key_at=at,
            host_key_status=case(
                (Device.host_key_fingerprint.is_not(None), HostKeyStatus.CHANGED.value),
                else_=HostKeyStatus.UNTRUSTED.value,
            ),
        )
        .execution_options(synchronize_session=False)
    )


async def devices_named(session: AsyncSession, names: set[str]) -> list[Device]:
    """Devices, locked, whose hostname (ignoring case) or address is one of `names`."""
    found: dict[UUID, Device] = {}
    ordered = sorted(names)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        rows = await session.scalars(
            select(Device)
            .where(func.lower(Device.hostname).in_(chunk) | Device.ip_address.in_(chunk))
            .order_by(Device.id)
            .with_for_update()
        )
        found.update((device.id, device) for device in rows)
    return list(found.values())
