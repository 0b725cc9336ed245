from faststream.exceptions import NackMessage
from faststream.middlewares import AckPolicy
from faststream.nats import NatsBroker, NatsMessage, PullSub
from faststream.nats.subscriber import LogicSubscriber
from netraven_shared.events import JobDispatched, subjects
from netraven_shared.messaging import consumer_config, stream_ref

from netraven_worker.backup import BackupService
from netraven_worker.config import WorkerSettings
from netraven_worker.guard import RetryLater
from netraven_worker.in_flight import InFlight
from netraven_worker.reachability import ReachabilityService

WORKERS_CONSUMER = "workers"


def register_handlers(
    broker: NatsBroker,
    service: BackupService,
    settings: WorkerSettings,
    reachability: ReachabilityService,
    in_flight: InFlight | None = None,
) -> list[LogicSubscriber]:
    """One pull subscriber per session slot, each fetching a request only once its last one is done, so
    no request waits here unworked. (FastStream's concurrent subscriber fetches one past its free slots;
    that one gets no in-progress acks, and while a database outage holds every slot its ack wait runs
    out: it is delivered twice, and its device counts an attempt it never made.)"""
    tracked = in_flight or InFlight(keep_alive_seconds=settings.ack_wait_seconds / 3)

    async def handle(dispatch: JobDispatched, message: NatsMessage) -> None:
        attempt = message.raw_message.metadata.num_delivered
        try:
            if dispatch.kind == "reachability":
                await reachability.check(dispatch)
            else:
                await service.back_up(dispatch, attempt)
        except RetryLater as retry:
            raise NackMessage(delay=retry.delay) from retry

    def session_slot() -> LogicSubscriber:
        subscriber = broker.subscriber(
            subjects.JOB_DISPATCHED,
            stream=stream_ref(subjects.JOB_DISPATCHED),
            durable=WORKERS_CONSUMER,
            pull_sub=PullSub(batch_size=1, timeout=5),
            config=consumer_config(
                settings.ack_wait_seconds, max_deliver=settings.max_attempts + 2
            ),
            ack_policy=AckPolicy.REJECT_ON_ERROR,
            title="worker/back-up-device",
            description="Every worker shares one durable pull consumer: each dispatch from the api goes to one worker.",
        )

        @subscriber
        async def on_job_dispatched(dispatch: JobDispatched, message: NatsMessage) -> None:
            async with tracked.working_on(message):
                await handle(dispatch, message)

        return subscriber

    return [session_slot() for _ in range(settings.concurrency)]
