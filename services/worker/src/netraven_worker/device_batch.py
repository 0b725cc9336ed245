"""Read the devices of concurrent backups together: one pooled connection and one statement for a
whole batch of dispatches, instead of one of each per backup.

The worker pulls dispatches by the dozen (in_flight.py), so their backups ask for their devices in
the same event-loop turn; `TurnBatch` gathers the asks. A failed read fails every ask in its batch
with the same error: an outage is retried by each caller (`retried_through_outages`), on a fresh
connection, since `find_backup_devices` invalidated the dropped one.
"""

from uuid import UUID

from netraven_shared.turn_batch import TurnBatch
from sqlalchemy.ext.asyncio import AsyncEngine

from netraven_worker.inventory import BackupDevice, DeviceInRun, find_backup_devices


class DeviceBatch:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._batch = TurnBatch(self._read)

    async def device(self, device_id: UUID, run_id: UUID) -> BackupDevice | None:
        """The device as its run's backup sees it, or None when the inventory lacks it."""
        return await self._batch.ask((device_id, run_id))

    async def _read(self, wanted: list[DeviceInRun]) -> list[BackupDevice | None]:
        async with self._engine.connect() as connection:
            found = await find_backup_devices(connection, wanted)
        return [found.get(pair) for pair in wanted]
