"""The queries on credentials, and the success and failure figures the workers' reports move."""

from datetime import datetime
from typing import Any, cast
from uuid import UUID

from netraven_shared.db.models import Credential, Tag
from netraven_shared.db.models.tag import credential_tags, device_tags
from sqlalchemy import ColumnElement, CursorResult, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession


async def name_taken(session: AsyncSession, name: str, except_id: UUID | None = None) -> bool:
    statement = select(Credential.id).where(Credential.name == name)
    if except_id is not None:
        statement = statement.where(Credential.id != except_id)
    return await session.scalar(statement) is not None


async def get_credential(session: AsyncSession, credential_id: UUID) -> Credential | None:
    return await session.get(Credential, credential_id)


async def list_credentials(session: AsyncSession) -> list[Credential]:
    return list(
        await session.scalars(select(Credential).order_by(Credential.priority, Credential.name))
    )


async def delete_credential(session: AsyncSession, credential_id: UUID) -> bool:
    deleted = await session.execute(delete(Credential).where(Credential.id == credential_id))
    return cast(CursorResult[Any], deleted).rowcount > 0


async def count_by_key(session: AsyncSession) -> dict[str, int]:
    """How many credentials each encryption key seals."""
    rows = await session.execute(
        select(Credential.key_id, func.count()).group_by(Credential.key_id)
    )
    return {key_id: count for key_id, count in rows}


async def all_locked(session: AsyncSession) -> list[Credential]:
    statement = select(Credential).order_by(Credential.name).with_for_update()
    return list(await session.scalars(statement))


def _usable_on(device_id: UUID) -> ColumnElement[bool]:
    """Credentials sharing a tag with the device: the only ones a worker tries on it."""
    device_tag_ids = select(device_tags.c.tag_id).where(device_tags.c.device_id == device_id)
    return Credential.tags.any(Tag.id.in_(device_tag_ids))


async def add_success(
    session: AsyncSession,
    credential_id: UUID,
    device_id: UUID,
    at: datetime,
) -> bool:
    """Count a success of the credential on the device; False when the device may not use it."""
    counted = await session.execute(
        update(Credential)
        .where(Credential.id == credential_id, _usable_on(device_id))
        .values(success_count=Credential.success_count + 1, last_success_at=at)
    )
    return cast(CursorResult[Any], counted).rowcount > 0


async def add_failures(session: AsyncSession, credential_ids: list[UUID], device_id: UUID) -> None:
    await session.execute(
        update(Credential)
        .where(Credential.id.in_(credential_ids), _usable_on(device_id))
        .values(failure_count=Credential.failure_count + 1)
    )


async def usable_pairs(
    session: AsyncSession, tried: set[tuple[UUID, UUID]]
) -> set[tuple[UUID, UUID]]:
    """Which of these (device, credential) pairs share a tag: the credential may log in there."""
    if not tried:
        return set()
    shared_tag = (
        select(device_tags.c.device_id, credential_tags.c.credential_id)
        .join(credential_tags, credential_tags.c.tag_id == device_tags.c.tag_id)
        .where(device_tags.c.device_id.in_({device for device, _ in tried}))
        .where(credential_tags.c.credential_id.in_({credential for _, credential in tried}))
        .distinct()
    )
    return {(row.device_id, row.credential_id) for row in await session.execute(shared_tag)} & tried


async def add_figures(
    session: AsyncSession, credential_id: UUID, successes: int, failures: int, at: datetime
) -> None:
    """Add a batch's successes and failures to the credential's figures in one statement."""
    await session.execute(
        update(Credential)
        .where(Credential.id == credential_id)
        .values(
            success_count=Credential.success_count + successes,
            failure_count=Credential.failure_count + failures,
            **({"last_success_at": at} if successes else {}),
        )
    )
