"""Check that a device's SSH port answers, for a `JobDispatched` of kind `reachability`: a timed
TCP connect, no login, no retry (the answer now is the point). A device given by DNS name is
resolved first (address.py); a device outside the management networks is not probed. For a device
behind a jump host the workers cannot reach it directly, so the first hop is probed: the jump
host's SSH port (the device behind it is checked by its backups)."""

import asyncio
import time
from contextlib import suppress
from dataclasses import dataclass

import structlog
from faststream.nats import NatsBroker
from netraven_shared.events import DeviceReachabilityChecked
from netraven_shared.events.base import fitted
from netraven_shared.management_scope import outside_management_networks
from netraven_shared.messaging import publish_event
from netraven_shared.operator_log import OperatorLog
from netraven_shared.outage import retried_through_outages
from sqlalchemy.ext.asyncio import AsyncEngine

from netraven_worker.address import CannotResolve, resolve
from netraven_worker.backup_read import DeviceReader, Dispatch
from netraven_worker.config import WorkerSettings
from netraven_worker.device_batch import DeviceBatch
from netraven_worker.inventory import BackupDevice, in_its_run

log = structlog.get_logger()


@dataclass(frozen=True)
class Reachability:
    reachable: bool
    latency_ms: float | None = None
    error: str | None = None


async def probe(host: str, port: int, timeout: float) -> Reachability:
    """Open and close one TCP connection; its latency is the time the connect took."""
    started = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            _, writer = await asyncio.open_connection(host, port)
    except TimeoutError:
        return Reachability(False, error=f"no answer within {timeout:g} s")
    except ConnectionRefusedError:
        return Reachability(False, error="connection refused")
    except OSError as error:
        return Reachability(False, error=(error.strerror or str(error)).lower())
    latency_ms = (time.perf_counter() - started) * 1000
    writer.close()
    with suppress(OSError):
        await writer.wait_closed()
    return Reachability(True, latency_ms=round(latency_ms, 2))


class ReachabilityService:
    def __init__(
        self,
        engine: AsyncEngine | None,
        broker: NatsBroker,
        settings: WorkerSettings,
        reader: DeviceReader | None = None,
    ) -> None:
        """`reader`: a remote site's collector reads the device from its sealed request instead
        of PostgreSQL (`engine`)."""
        self._devices = DeviceBatch(engine) if engine is not None else None
        self._reader = reader
        self._broker = broker
        self._settings = settings
        self._oplog = OperatorLog(broker, "worker")

    async def check(self, request: Dispatch) -> None:
        run_id = request.run_id
        ids = {"job_id": request.job_id, "run_id": run_id, "correlation_id": request.correlation_id}
        device = in_its_run(
            await retried_through_outages(lambda: self._find(request), "worker: device"),
            request.device_id,
            run_id,
        )
        if device.settled:
            log.info(
                "reachability.skipped_settled",
                run_id=str(run_id),
                device_id=str(device.id),
                result=device.result_status,
            )
            return
        timeout = device.timeout_seconds or self._settings.connect_timeout
        jump = device.jump_host
        via = f"jump host '{jump.name}' ({jump.address}:{jump.port})" if jump else None
        address = device.ip_address
        if jump is not None:
            first_hop = (jump.address, jump.port)
            result = await self._probe_jump_host(device, via or "", first_hop, timeout)
        else:
            try:
                address = await resolve(device.ip_address, timeout)
            except CannotResolve as error:
                result = Reachability(False, error=str(error))
            else:
                result = await self._probe(device, address, timeout)
        await publish_event(
            self._broker,
            DeviceReachabilityChecked(
                run_id=run_id,
                job_id=request.job_id,
                device_id=device.id,
                hostname=device.hostname,
                port=device.port,
                reachable=result.reachable,
                latency_ms=result.latency_ms,
                error=fitted(result.error) if result.error else None,
                correlation_id=request.correlation_id,
            ),
        )
        where = f"{device.hostname} ({address}:{device.port})"
        if result.reachable:
            answered = (
                f"behind {via}, whose SSH port answered in {result.latency_ms:g} ms "
                "(the device itself is checked by its backups)"
                if via
                else f"SSH port answered in {result.latency_ms:g} ms"
            )
            await self._oplog.emit(
                "info",
                "connection",
                f"{where}: {answered}",
                **ids,
                device_id=device.id,
            )
        else:
            await self._oplog.emit(
                "warning",
                "connection",
                f"{where}: unreachable: {result.error}",
                **ids,
                device_id=device.id,
            )
        log.info(
            "reachability.checked",
            hostname=device.hostname,
            reachable=result.reachable,
            latency_ms=result.latency_ms,
            error=result.error,
        )

    async def _probe(self, device: BackupDevice, address: str, timeout: float) -> Reachability:
        """The probe of the resolved address, unless the management networks exclude it."""
        if outside := outside_management_networks(address, device.management_networks):
            return Reachability(False, error=f"{outside}: it was not probed")
        return await probe(address, device.port, timeout)

    async def _probe_jump_host(
        self, device: BackupDevice, via: str, first_hop: tuple[str, int], timeout: float
    ) -> Reachability:
        """The probe of the jump host's SSH port, unless the management networks exclude the
        device's own address."""
        if outside := outside_management_networks(device.ip_address, device.management_networks):
            return Reachability(False, error=f"{outside}: it was not probed")
        result = await probe(*first_hop, timeout)
        return Reachability(False, error=f"{via}: {result.error}") if result.error else result

    async def _find(self, request: Dispatch) -> BackupDevice | None:
        if self._reader is not None:
            return (await self._reader.read(request)).device
        if self._devices is None:
            raise ValueError("a reachability check reads PostgreSQL, or is given a reader")
        return await self._devices.device(request.device_id, request.run_id)
