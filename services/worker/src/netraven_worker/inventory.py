"""Read what a backup needs from PostgreSQL. Workers read the inventory; they never write it."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import noload

from netraven_shared.crypto import CredentialCipher
from netraven_shared.db.models import Credential, Device, Tag
from netraven_shared.events import JobRequested
from netraven_worker.session import Login


@dataclass(frozen=True)
class DeviceLogins:
    device: Device
    logins: list[Login]


async def find_device(session: AsyncSession, request: JobRequested) -> Device | None:
    if request.device_id is not None:
        return await session.get(Device, request.device_id)
    return await session.scalar(select(Device).where(Device.hostname == request.hostname))


async def logins_for(session: AsyncSession, device: Device, cipher: CredentialCipher) -> list[Login]:
    """Credentials sharing a tag with the device: lowest priority number first, then the
    ones that have worked most often."""
    tag_ids = [tag.id for tag in device.tags]
    credentials = await session.scalars(
        select(Credential)
        .where(Credential.tags.any(Tag.id.in_(tag_ids)))
        .order_by(Credential.priority, Credential.success_count.desc(), Credential.name)
        .options(noload(Credential.tags))  # not needed here: saves a query per backup
    )
    return [
        Login(
            credential_id=c.id,
            name=c.name,
            username=c.username,
            password=cipher.decrypt(c.password_encrypted),
            enable_secret=cipher.decrypt(c.enable_secret_encrypted) if c.enable_secret_encrypted else None,
        )
        for c in credentials
    ]
