"""A durable follows the settings of the process that started last: an ack wait changed in the
settings takes effect on restart, whoever created the durable first."""

import uuid

from faststream.nats import NatsBroker
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig
from netraven_shared.messaging import consumer_config, stream_of
from netraven_shared.pull_requests import ensure_durable

SUBJECT = "netraven.bus.test-durable"


async def test_an_existing_durable_takes_the_new_ack_wait_and_delivery_limit(
    broker: NatsBroker,
) -> None:
    js: JetStreamContext = broker.config.connection_state.stream
    stream, name = stream_of(SUBJECT), f"test-{uuid.uuid4().hex[:8]}"

    def config(ack_wait: float, max_deliver: int) -> ConsumerConfig:
        made = consumer_config(ack_wait, max_deliver=max_deliver)
        made.filter_subject, made.durable_name = SUBJECT, name
        return made

    await ensure_durable(js, stream, config(30, 5))
    await ensure_durable(js, stream, config(6, 7))
    info = await js.consumer_info(stream, name)
    assert (info.config.ack_wait, info.config.max_deliver) == (6, 7)
    await js.delete_consumer(stream, name)
