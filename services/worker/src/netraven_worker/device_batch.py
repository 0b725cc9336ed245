"""Read the devices of concurrent backups together: one pooled connection and one statement for a
whole batch of dispatches, instead of one of each per backup.

The worker pulls dispatches by the dozen (in_flight.py), so their backups ask for their devices in
the same event-loop turn. `DeviceBatch.device` queues the ask; the batch is read on the loop's next
turn, and asks made while it is read wait for the following one. A failed read fails every ask in
its batch with the same error: an outage is retried by each caller (`retried_through_outages`), on
a fresh connection, since `find_backup_devices` invalidated the dropped one.
"""

import asyncio
import contextvars
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine

from netraven_worker.inventory import BackupDevice, DeviceInRun, find_backup_devices

_Ask = tuple[DeviceInRun, asyncio.Future[BackupDevice | None]]


class DeviceBatch:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._asks: list[_Ask] = []
        self._reading: asyncio.Task[None] | None = None

    async def device(self, device_id: UUID, run_id: UUID) -> BackupDevice | None:
        """The device as its run's backup sees it, or None when the inventory lacks it."""
        answer: asyncio.Future[BackupDevice | None] = asyncio.get_running_loop().create_future()
        self._asks.append(((device_id, run_id), answer))
        if self._reading is None:
            # in a context of its own: the batch is no more the first asker's than the others'
            self._reading = asyncio.create_task(
                self._read_while_asked(), context=contextvars.Context()
            )
        return await answer

    async def _read_while_asked(self) -> None:
        batch: list[_Ask] = []
        try:
            while self._asks:
                batch, self._asks = self._asks, []
                await self._read(batch)
        finally:
            self._reading = None
            for _, answer in batch + self._asks:  # only if this task itself was cancelled
                answer.cancel()
            self._asks = []

    async def _read(self, batch: list[_Ask]) -> None:
        try:
            async with self._engine.connect() as connection:
                found = await find_backup_devices(connection, [wanted for wanted, _ in batch])
        except Exception as error:  # noqa: BLE001  handed to every ask of the batch
            for _, answer in batch:
                if not answer.done():
                    answer.set_exception(error)
            return
        for wanted, answer in batch:
            if not answer.done():  # its caller may have been cancelled
                answer.set_result(found.get(wanted))
