"""How far behind a service's durable consumers are, from JetStream's own consumer info: what is
waiting in the stream for each, what it holds unacknowledged, and what NATS has sent again.

In a service of several processes every process reads the same durables; the most recent reading
is the answer (not their sum)."""

import structlog
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from prometheus_client import Gauge

from netraven_shared.bus_identities import Durable

log = structlog.get_logger()

PENDING = Gauge(
    "netraven_consumer_pending_messages",
    "Messages in the stream not yet delivered to this durable consumer",
    ["consumer"],
    multiprocess_mode="livemostrecent",
)
ACK_PENDING = Gauge(
    "netraven_consumer_ack_pending_messages",
    "Messages delivered to this durable consumer and not yet acknowledged",
    ["consumer"],
    multiprocess_mode="livemostrecent",
)
REDELIVERED = Gauge(
    "netraven_consumer_redelivered_messages",
    "Messages this durable consumer holds that NATS has delivered more than once",
    ["consumer"],
    multiprocess_mode="livemostrecent",
)


async def refresh_consumer_gauges(js: JetStreamContext, durables: tuple[Durable, ...]) -> None:
    for durable in durables:
        try:
            info = await js.consumer_info(durable.stream, durable.name, timeout=2.0)
        except (NatsError, TimeoutError) as error:
            log.debug("metrics.consumer_info_unavailable", consumer=durable.name, error=str(error))
            continue
        PENDING.labels(durable.name).set(info.num_pending or 0)
        ACK_PENDING.labels(durable.name).set(info.num_ack_pending or 0)
        REDELIVERED.labels(durable.name).set(info.num_redelivered or 0)
