"""Keep each credential's success and failure figures true, from what the workers report.

Counted once per device and run: a success when the result first learns which credential
worked, failures when that happens or when the result fails. Redelivered events change nothing.
Only credentials sharing a tag with the device move (the only ones a worker tries on it), so an
event cannot count against a credential the database says was never tried.
"""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.credentials.repository import add_failures, add_success
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import RunResult


async def count_success(session: AsyncSession, result: RunResult, credential_id: UUID | None, refused: list[UUID]) -> None:
    if credential_id is None or result.credential_id is not None:
        return
    if await add_success(session, credential_id, result.device_id, utc_now()):
        result.credential_id = credential_id
        await count_failures(session, result.device_id, refused)


async def count_failures(session: AsyncSession, device_id: UUID, refused: list[UUID]) -> None:
    if refused:
        await add_failures(session, refused, device_id)
