"""What holds around every device session: the device's circuit is closed, its lock is ours for
the whole session (refreshed while it runs), and the outcome is counted by the circuit breaker."""

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from faststream.nats import NatsBroker

from netraven_shared.events.base import utc_now
from netraven_shared.key_value import open_bucket
from netraven_shared.operator_log import OperatorLog
from netraven_worker.circuit_breaker import CIRCUITS_BUCKET, CIRCUITS_TTL_SECONDS, CircuitBreaker
from netraven_worker.config import WorkerSettings
from netraven_worker.device_lock import LOCKS_BUCKET, DeviceLock, DeviceLocks
from netraven_worker.inventory import BackupDevice
from netraven_worker.retry import RetryLater
from netraven_worker.session import DeviceUnreachable, HostKeyNotTrusted, PermanentFailure

T = TypeVar("T")


class DeviceGuard:
    def __init__(
        self, broker: NatsBroker, settings: WorkerSettings, oplog: OperatorLog, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._broker = broker
        self._settings = settings
        self._oplog = oplog
        self._clock = clock
        self._opened: tuple[DeviceLocks, CircuitBreaker] | None = None

    async def skip_reason(self, device_id: UUID) -> str | None:
        _, breaker = await self._open()
        return await breaker.skip_reason(device_id)

    async def run_session(self, device: BackupDevice, ids: dict[str, Any], session: Callable[[], Awaitable[T]]) -> T:
        """Run `session` holding the device's lock; a device another session holds raises `RetryLater`."""
        locks, breaker = await self._open()
        lock = await locks.acquire(device.id, ids["run_id"])
        if lock is None:
            holder = await locks.holder(device.id)
            delay = self._settings.lock_retry_seconds
            await self._oplog.emit("info", "connection", f"{device.hostname}: busy with another session ({holder}); trying again in {delay:.0f} s", **ids)
            raise RetryLater(delay)
        refresher = asyncio.create_task(self._keep(lock))
        cut_short = False
        try:
            result = await session()
        except HostKeyNotTrusted:
            raise  # nothing was sent; counting it would keep the device skipped after an admin accepts the key
        except (PermanentFailure, DeviceUnreachable) as error:
            await breaker.record_failure(device.id, str(error))
            raise
        except asyncio.CancelledError:
            # The drain handed the request back while its thread may still talk to the device:
            # the lock is left to expire (its TTL) rather than freed for a second session now.
            cut_short = True
            raise
        finally:
            refresher.cancel()
            with suppress(asyncio.CancelledError):
                await refresher
            if not cut_short:
                await lock.release()
        await breaker.record_success(device.id)
        return result

    async def _keep(self, lock: DeviceLock) -> None:
        every = min(self._settings.lock_ttl_seconds, self._settings.ack_wait_seconds) / 3
        while True:
            await asyncio.sleep(every)
            await lock.refresh()

    async def _open(self) -> tuple[DeviceLocks, CircuitBreaker]:
        if self._opened is None:
            js = self._broker.config.connection_state.stream
            locks = await open_bucket(js, LOCKS_BUCKET, self._settings.lock_ttl_seconds)
            circuits = await open_bucket(js, CIRCUITS_BUCKET, CIRCUITS_TTL_SECONDS)
            cooldown = timedelta(seconds=self._settings.circuit_cooldown_seconds)
            self._opened = (
                DeviceLocks(locks, self._settings.worker_id),
                CircuitBreaker(circuits, self._settings.circuit_failure_threshold, cooldown, self._clock),
            )
        return self._opened
