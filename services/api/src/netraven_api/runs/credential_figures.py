"""Keep each credential's success and failure figures true, from what the workers report.

Counted once per device and run: a success when the result first learns which credential
worked, failures when that happens or when the result fails. Redelivered events change nothing.
Only credentials sharing a tag with the device move (the only ones a worker tries on it), so an
event cannot count against a credential the database says was never tried.
"""

from uuid import UUID
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_shared.db.base import utc_now
from netraven_shared.db.models import Credential, RunResult, Tag
from netraven_shared.db.models.tag import device_tags


def _usable_on(device_id: UUID) -> ColumnElement[bool]:
    return Credential.tags.any(Tag.id.in_(select(device_tags.c.tag_id).where(device_tags.c.device_id == device_id)))


async def count_success(session: AsyncSession, result: RunResult, credential_id: UUID | None, refused: list[UUID]) -> None:
    if credential_id is None or result.credential_id is not None:
        return
    counted = await session.execute(
        update(Credential).where(Credential.id == credential_id, _usable_on(result.device_id))
        .values(success_count=Credential.success_count + 1, last_success_at=utc_now())
    )
    if cast(CursorResult[Any], counted).rowcount:
        result.credential_id = credential_id
        await count_failures(session, result.device_id, refused)


async def count_failures(session: AsyncSession, device_id: UUID, refused: list[UUID]) -> None:
    if refused:
        await session.execute(
            update(Credential).where(Credential.id.in_(refused), _usable_on(device_id))
            .values(failure_count=Credential.failure_count + 1)
        )
