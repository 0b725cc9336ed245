"""The queries on credentials, and the success and failure figures the workers' reports move."""

from typing import Any, cast
from uuid import UUID

from netraven_shared.db.models import Credential
from sqlalchemy import CursorResult, delete, select
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
