"""Durable consumers whose subject changed between versions.

JetStream reuses a durable consumer by name as it was created, so a consumer declared in code with a
new filter subject would keep the old one. Before this version the workers' durable "workers" took
`netraven.jobs.requested`; now it takes `netraven.jobs.dispatched`, and the api takes the requests.
On a work-queue stream two consumers may not share a subject, so the old consumer must go before the
api can declare its own: the messages it had not delivered stay in the stream for the new consumer.
"""

import structlog
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from netraven_shared.events import subjects
from netraven_shared.messaging import stream_of

log = structlog.get_logger()
WORKERS_CONSUMER = "workers"


async def retire_if_filter_changed(js: JetStreamContext, stream: str, durable: str, subject: str) -> bool:
    """Delete consumer `durable` of `stream` if it filters anything but `subject`; True if it did."""
    try:
        info = await js.consumer_info(stream, durable)
    except NotFoundError:
        return False
    if info.config.filter_subject == subject:
        return False
    await js.delete_consumer(stream, durable)
    log.info("consumer.retired", stream=stream, durable=durable, old_subject=info.config.filter_subject, new_subject=subject)
    return True


async def move_workers_to_dispatches(js: JetStreamContext) -> None:
    """Both the api and the workers call this before their subscribers start, whichever starts first."""
    await retire_if_filter_changed(js, stream_of(subjects.JOB_DISPATCHED), WORKERS_CONSUMER, subjects.JOB_DISPATCHED)
