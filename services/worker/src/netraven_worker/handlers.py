"""The worker service: its app, and what becomes of each `JobDispatched` it pulls.

A dispatch is acked once its backup (or reachability check) is told; nacked with the delay a
`RetryLater` names; terminated and recorded as an `EventRejected` when it does not match its
contract or names what the database does not know (`Rejected`), exactly as the shared
`FailurePolicy` does for FastStream's subscribers; any other error hands it back with a growing
delay, bounded by the consumer's `max_deliver`.
"""

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

import structlog
from faststream.asgi import AsgiFastStream
from faststream.middlewares import AckPolicy
from faststream.nats import NatsBroker, PullSub
from nats.aio.msg import Msg
from netraven_shared.bus_identities import site_identity
from netraven_shared.crypto import credential_cipher
from netraven_shared.drivers.catalog import DriverCatalog, load_catalog_logging_errors
from netraven_shared.events import JobDispatched, SiteJobDispatched, subjects
from netraven_shared.failure_policy import MAX_RETRY_DELAY
from netraven_shared.messaging import build_broker, consumer_config, stream_ref
from netraven_shared.outage import retried_through_outages
from netraven_shared.rejected_events import reason_of, record_rejection, service_of
from netraven_shared.rejection import Rejected
from netraven_shared.service_app import build_service_app
from netraven_shared.site_seal import read_private_key
from netraven_shared.tracing.carrier import annotate, handling
from pydantic import ValidationError

from netraven_worker.backup import BackupService
from netraven_worker.collection import Collect
from netraven_worker.config import WorkerSettings
from netraven_worker.guard import RetryLater
from netraven_worker.heartbeat import Heartbeat
from netraven_worker.in_flight import WORKERS_CONSUMER, DispatchPull, Drain, InFlight
from netraven_worker.inputs import collect_by_input
from netraven_worker.inventory import inventory_engine
from netraven_worker.reachability import ReachabilityService
from netraven_worker.sealed_read import SealedReader

log = structlog.get_logger()


class Dispatches:
    """`contract`: what the pulled messages are, a central `JobDispatched` or a remote site's
    `SiteJobDispatched`."""

    def __init__(
        self,
        broker: NatsBroker,
        service: BackupService,
        reachability: ReachabilityService,
        contract: type[JobDispatched] | type[SiteJobDispatched] = JobDispatched,
    ) -> None:
        self._broker = broker
        self._service = service
        self._reachability = reachability
        self._contract = contract

    async def open(self) -> None:
        """At start, before the first pull: the device locks and circuits are ready."""
        await self._service.open_guard()

    async def handle(self, message: Msg) -> None:
        """Work on one dispatch and settle its message: ack, nak or terminate; traced as
        `worker.backup`, a child of the api's dispatch."""
        attempt = message.metadata.num_delivered or 1
        with handling("worker.backup", message.headers, message.subject, attempt=attempt):
            await self._handle(message, attempt)

    async def _handle(self, message: Msg, attempt: int) -> None:
        try:
            dispatch = self._contract.model_validate_json(message.data)
            annotate(run_id=dispatch.run_id, device_id=dispatch.device_id, kind=dispatch.kind)

            async def work() -> None:
                if dispatch.kind == "reachability":
                    await self._reachability.check(dispatch)
                else:
                    await self._service.back_up(dispatch, attempt)

            # An outage (a stream electing its leader after a NATS node died, PostgreSQL away) is
            # waited out here, the message kept in progress: a nak would spend one of its few
            # deliveries, and a short election could spend them all.
            await retried_through_outages(work, "worker: the bus or the database, during a backup")
        except RetryLater as retry:
            annotate(outcome="retry_later")
            await self._settle(message.nak(delay=retry.delay))
        except (ValidationError, Rejected) as error:
            annotate(outcome="rejected")
            await self._reject(message.subject, error)
            await self._settle(message.term())
        except Exception as error:
            delay = min(MAX_RETRY_DELAY, 2.0**attempt)
            annotate(outcome="error")
            log.exception(
                "message.failed", subject=message.subject, retry_in_seconds=delay, error=str(error)
            )
            await self._settle(message.nak(delay=delay))
        else:
            await self._settle(message.ack())

    @staticmethod
    async def _settle(reply: Awaitable[None]) -> None:
        try:
            await reply
        except Exception as error:  # noqa: BLE001  unsettled, it is delivered again after ack wait
            log.warning("message.settle_failed", error=f"{type(error).__name__}: {error}")

    async def _reject(self, subject: str, error: Exception) -> None:
        try:
            reason, service = reason_of(error), service_of(self._broker)
            await record_rejection(self._broker, subject, reason, service)
        except Exception:
            log.exception("message.rejection_not_recorded", subject=subject)


def build_app(settings: WorkerSettings, collect: Collect = collect_by_input) -> AsgiFastStream:
    """The worker; `collect` reads each device by its driver's input (Netmiko's session for the
    CLI) unless a benchmark injects its stand-in. With NETRAVEN_WORKER_SITE it is that remote
    site's collector (`site_collector`)."""
    broker = build_broker(settings, settings.bus_identity, settings.worker_id)
    catalog = load_catalog_logging_errors(settings.drivers_dir)
    in_flight = InFlight(keep_alive_seconds=settings.ack_wait_seconds / 3)
    if settings.worker_site is not None:
        dispatches, source = site_collector(broker, settings, catalog, collect)
        on_shutdown: list[Callable[[], Awaitable[None]]] = []
    else:
        engine = inventory_engine(
            settings.database_url, pool_size=max(2, settings.concurrency // 2)
        )
        cipher = credential_cipher(settings)
        service = BackupService(engine, broker, cipher, settings, catalog, collect)
        reachability = ReachabilityService(engine, broker, settings)
        dispatches = Dispatches(broker, service, reachability)
        source = (subjects.JOB_DISPATCHED, WORKERS_CONSUMER)
        on_shutdown = [engine.dispose]
    pull = DispatchPull(broker, settings, in_flight, dispatches.handle, source)
    heartbeat = Heartbeat(broker, settings, in_flight)

    async def size_session_threads() -> None:
        """asyncio's default pool has min(32, cores + 4) threads: on a small host that, not
        `concurrency`, would cap the Netmiko sessions running at once."""
        threads = ThreadPoolExecutor(
            max_workers=settings.concurrency, thread_name_prefix="device-session"
        )
        asyncio.get_running_loop().set_default_executor(threads)

    return build_service_app(
        broker,
        on_startup=[size_session_threads, heartbeat.start, dispatches.open, pull.start],
        on_shutdown=[Drain(broker, pull, in_flight, settings), heartbeat.stop, *on_shutdown],
        readiness=[pull.problem],
    )


def site_collector(
    broker: NatsBroker, settings: WorkerSettings, catalog: DriverCatalog, collect: Collect
) -> tuple[Dispatches, tuple[str, str]]:
    """A remote site's collector: no database, no key ring; its site's sealed requests, opened with
    the site's private key, pulled from the site's own durable."""
    site, key_file = settings.worker_site, settings.site_key_file
    assert site is not None and key_file is not None  # WorkerSettings refuses a site without a key
    reader = SealedReader(site, read_private_key(key_file))
    service = BackupService(None, broker, None, settings, catalog, collect, reader=reader)
    reachability = ReachabilityService(None, broker, settings, reader=reader)
    dispatches = Dispatches(broker, service, reachability, SiteJobDispatched)
    (durable,) = site_identity(site).durables
    return dispatches, (durable.subject, durable.name)


def register_handlers(
    broker: NatsBroker,
    service: BackupService | None,
    settings: WorkerSettings,
    reachability: ReachabilityService | None,
) -> None:
    """Declare the worker's subscription on a broker that only describes itself (the AsyncAPI
    document, tools/docs): the running worker pulls through nats-py (`DispatchPull`), which
    FastStream cannot describe, and never registers this subscriber. `service` and
    `reachability` are what the pull hands each dispatch to (`Dispatches`)."""

    @broker.subscriber(
        subjects.JOB_DISPATCHED,
        stream=stream_ref(subjects.JOB_DISPATCHED),
        durable=WORKERS_CONSUMER,
        pull_sub=PullSub(batch_size=1, timeout=5),
        config=consumer_config(settings.ack_wait_seconds, max_deliver=settings.max_attempts + 2),
        ack_policy=AckPolicy.REJECT_ON_ERROR,
        title="worker/back-up-device",
        description="Every worker shares one durable pull consumer: "
        "each dispatch from the api goes to one worker.",
    )
    async def on_job_dispatched(dispatch: JobDispatched) -> None:
        raise RuntimeError(f"documentation only: {dispatch.event_id} is pulled by DispatchPull")
