"""Keep each credential's success and failure figures true, from what the workers report.

Counted once per device and run: a success when the result first learns which credential
worked, failures when that happens or when the result fails. Redelivered events change nothing.
Only credentials sharing a tag with the device move (the only ones a worker tries on it), so an
event cannot count against a credential the database says was never tried.

Inside `one_count_per_batch` (the recorder's batches) which credential may log in to which device is
read once for the batch, and the figures and bound credentials are written once on the way out, one
statement per credential, instead of two statements per backup on the same few credential rows.
"""

from collections import Counter
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from uuid import UUID

from netraven_shared.db.base import utc_now
from netraven_shared.db.models import RunResult
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.credentials.repository import add_failures, add_figures, add_success, usable_pairs
from netraven_api.devices.repository import bind_credential

_BATCH = "netraven.credential_figures"


@dataclass
class _Figures:
    usable: set[tuple[UUID, UUID]]  # (device, credential)
    successes: Counter[UUID] = field(default_factory=Counter)
    failures: Counter[UUID] = field(default_factory=Counter)
    bound: dict[UUID, UUID] = field(default_factory=dict)  # device -> credential


@asynccontextmanager
async def one_count_per_batch(
    session: AsyncSession, tried: Iterable[tuple[UUID, UUID]]
) -> AsyncIterator[None]:
    """For many events in one transaction naming the (device, credential) pairs `tried`."""
    figures = session.info[_BATCH] = _Figures(await usable_pairs(session, set(tried)))
    try:
        yield
    finally:
        del session.info[_BATCH]
    await _write(session, figures)


async def count_success(
    session: AsyncSession, result: RunResult, credential_id: UUID | None, refused: list[UUID]
) -> None:
    if credential_id is None or result.credential_id is not None:
        return
    figures: _Figures | None = session.info.get(_BATCH)
    if figures is not None:
        if (result.device_id, credential_id) not in figures.usable:
            return
        figures.successes[credential_id] += 1
    elif not await add_success(session, credential_id, result.device_id, utc_now()):
        return
    result.credential_id = credential_id
    await count_failures(session, result.device_id, refused)


async def count_failures(session: AsyncSession, device_id: UUID, refused: list[UUID]) -> None:
    if not refused:
        return
    figures: _Figures | None = session.info.get(_BATCH)
    if figures is not None:
        figures.failures.update(c for c in refused if (device_id, c) in figures.usable)
        return
    await add_failures(session, refused, device_id)


async def bind(session: AsyncSession, device_id: UUID, credential_id: UUID) -> None:
    """The credential that last logged in to the device: the worker tries it first next time."""
    figures: _Figures | None = session.info.get(_BATCH)
    if figures is not None:
        figures.bound[device_id] = credential_id
        return
    await bind_credential(session, [device_id], credential_id)


async def _write(session: AsyncSession, figures: _Figures) -> None:
    """Credential rows in id order, so two writers never wait on each other crosswise."""
    at = utc_now()
    for credential_id in sorted(figures.successes.keys() | figures.failures.keys()):
        successes, failures = figures.successes[credential_id], figures.failures[credential_id]
        await add_figures(session, credential_id, successes, failures, at)
    devices_of: dict[UUID, list[UUID]] = {}
    for device_id, credential_id in figures.bound.items():
        devices_of.setdefault(credential_id, []).append(device_id)
    for credential_id, device_ids in sorted(devices_of.items()):
        await bind_credential(session, device_ids, credential_id)
