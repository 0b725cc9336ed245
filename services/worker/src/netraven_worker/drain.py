"""SIGTERM drains a worker process: it stops fetching requests, gives the sessions in flight up to
`NETRAVEN_DRAIN_SECONDS` to finish, then hands back whatever still runs so another worker takes it.

Handed-back requests are redelivered after the device lock's TTL: the abandoned session's thread
dies with the process (see `__main__`), and its device lock, never released, expires by then.
"""

import structlog
from faststream.nats import NatsBroker
from faststream.nats.subscriber import LogicSubscriber

from netraven_shared.operator_log import OperatorLog
from netraven_worker.config import WorkerSettings
from netraven_worker.in_flight import InFlight

log = structlog.get_logger()


class Drain:
    def __init__(self, broker: NatsBroker, subscribers: list[LogicSubscriber], in_flight: InFlight, settings: WorkerSettings) -> None:
        self._subscribers = subscribers
        self._in_flight = in_flight
        self._settings = settings
        self._oplog = OperatorLog(broker, "worker")

    async def __call__(self) -> None:
        for subscriber in self._subscribers:
            subscriber.running = False  # its fetch loop ends; nothing new starts here
        bound = self._settings.drain_seconds
        log.info("worker.draining", in_flight=self._in_flight.count, bound_seconds=bound)
        if await self._in_flight.wait_idle(bound):
            log.info("worker.drained")
            return
        handed_back = await self._in_flight.hand_back(delay=self._settings.lock_ttl_seconds)
        message = (
            f"{self._settings.worker_id}: stopping; {handed_back} session(s) still running after {bound:g} s "
            f"were handed back and will be retried by another worker in {self._settings.lock_ttl_seconds:g} s"
        )
        log.warning("worker.handed_back", count=handed_back, bound_seconds=bound)
        await self._oplog.emit("warning", "system", message)
