"""Keep each credential's success and failure figures true, from what the workers report.

Counted once per device and run: a success when the result first learns which credential
worked, failures when that happens or when the result fails. Redelivered events change nothing.
"""

from uuid import UUID

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_shared.db.base import utc_now
from netraven_shared.db.models import Credential, RunResult


async def count_success(session: AsyncSession, result: RunResult, credential_id: UUID | None, refused: list[UUID]) -> None:
    if credential_id is None or result.credential_id is not None:
        return
    result.credential_id = credential_id
    await session.execute(
        update(Credential).where(Credential.id == credential_id)
        .values(success_count=Credential.success_count + 1, last_success_at=utc_now())
    )
    await count_failures(session, refused)


async def count_failures(session: AsyncSession, refused: list[UUID]) -> None:
    if refused:
        await session.execute(
            update(Credential).where(Credential.id.in_(refused)).values(failure_count=Credential.failure_count + 1)
        )
