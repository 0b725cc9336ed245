"""Consume `JobRequested` from other systems: the api starts a run of its own for each.

Only the device's id or hostname is used, looked up in PostgreSQL; a request naming a device, job or
run the api does not know is rejected and starts nothing. The run's id is derived from the message's
identity (its `Nats-Msg-Id`, else an `event_id` it carries, else its stream sequence), which stays
the same on redelivery, so a redelivered request makes no second run. A request naming a run is
refused: runs are the api's, and no other system may add to one. While PostgreSQL is unreachable the
request is held (in progress) and retried, so an outage spends none of its deliveries.
"""

from uuid import NAMESPACE_URL, UUID, uuid5

from faststream.middlewares import AckPolicy
from faststream.nats import NatsBroker, NatsMessage, PullSub
from netraven_shared.db.models import Device
from netraven_shared.events import JobRequested, subjects
from netraven_shared.in_progress import kept_in_progress
from netraven_shared.messaging import consumer_config, stream_ref
from netraven_shared.outage import retried_through_outages
from netraven_shared.rejection import Rejected
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_api.devices import repository as devices_repository
from netraven_api.jobs import repository as jobs_repository
from netraven_api.outbox_relay import OutboxRelay
from netraven_api.runs import repository as runs_repository
from netraven_api.runs.launcher import start_device_run
from netraven_api.unit_of_work import unit_of_work

CONSUMER = "api-job-requests"
ACK_WAIT_SECONDS = 30


def bus_run_id(origin: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"netraven:bus-run:{origin}")


async def _device(session: AsyncSession, request: JobRequested) -> Device:
    if request.device_id is not None:
        device = await devices_repository.get_device(session, request.device_id)
    else:
        assert request.hostname is not None  # the event's validator holds one of id and hostname
        device = await devices_repository.device_named(session, request.hostname)
    if (
        device is None
    ):  # the id, never the name a message brings: a rejection carries nothing of the payload
        named = (
            f"device {request.device_id}"
            if request.device_id is not None
            else "device with the hostname it names"
        )
        raise Rejected(f"unknown {named}: add it to the inventory first")
    return device


async def start_requested_run(
    session: AsyncSession, request: JobRequested, origin: str
) -> UUID | None:
    """Flush the run and its dispatch; None when nothing was new (a redelivery)."""
    device = await _device(session, request)
    if request.job_id is not None and not await jobs_repository.job_without_targets(
        session, request.job_id
    ):
        raise Rejected(f"unknown job {request.job_id}")
    if (
        request.run_id is not None
    ):  # runs are the api's: another system may not add to an operator's run
        raise Rejected(
            "a request may not name a run: leave run_id out, the api starts a run for it"
        )
    run_id = bus_run_id(origin)
    if await runs_repository.get_run(session, run_id) is not None:
        return None
    run = await start_device_run(
        session,
        device,
        request.kind,
        "bus",
        run_id=run_id,
        job_id=request.job_id,
        correlation_id=request.correlation_id,
    )
    return run.id


def message_origin(request: JobRequested, message: NatsMessage) -> str:
    if msg_id := message.headers.get("Nats-Msg-Id"):
        return msg_id
    if "event_id" in request.model_fields_set:
        return str(request.event_id)
    return f"stream-sequence:{message.raw_message.metadata.sequence.stream}"


def register_bus_requests(
    broker: NatsBroker, sessions: async_sessionmaker[AsyncSession], relay: OutboxRelay
) -> None:
    @broker.subscriber(
        subjects.JOB_REQUESTED,
        stream=stream_ref(subjects.JOB_REQUESTED),
        durable=CONSUMER,
        pull_sub=PullSub(batch_size=1, timeout=5),
        config=consumer_config(ack_wait_seconds=ACK_WAIT_SECONDS),
        ack_policy=AckPolicy.REJECT_ON_ERROR,
        max_workers=8,
        title="api/job-requests",
        description=(
            "Requests from other systems: each becomes a run of the api's own, dispatched to the"
            " workers."
        ),
    )
    async def on_job_requested(request: JobRequested, message: NatsMessage) -> None:
        async def start() -> None:
            async with unit_of_work(sessions) as work:
                origin = message_origin(request, message)
                if await start_requested_run(work.session, request, origin) is not None:
                    work.after_commit(relay.wake)

        try:
            async with kept_in_progress(message, every_seconds=ACK_WAIT_SECONDS / 3):
                await retried_through_outages(start, f"api: job request {request.event_id}")
        except IntegrityError:  # the same request, redelivered to another replica, won the race
            return
