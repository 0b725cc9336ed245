"""A durable consumer left by an older version with another subject is retired, so the new one can be declared."""

from faststream.nats import NatsBroker
from nats.js.api import ConsumerConfig

from netraven_shared.consumer_upgrade import retire_if_filter_changed
from tests.fixtures.factories import unique

STREAM = "NETRAVEN_JOBS"


class TestRetireIfFilterChanged:
    async def test_a_consumer_on_the_old_subject_is_deleted_and_one_on_the_new_kept(self, broker: NatsBroker) -> None:
        js = broker.config.connection_state.stream
        durable, old, new = unique("upgrade"), "netraven.jobs.upgrade-old", "netraven.jobs.upgrade-new"
        await js.add_consumer(STREAM, ConsumerConfig(durable_name=durable, filter_subject=old))
        assert await retire_if_filter_changed(js, STREAM, durable, new)
        await js.add_consumer(STREAM, ConsumerConfig(durable_name=durable, filter_subject=new))
        assert not await retire_if_filter_changed(js, STREAM, durable, new)
        assert (await js.consumer_info(STREAM, durable)).config.filter_subject == new
        await js.delete_consumer(STREAM, durable)

    async def test_no_consumer_is_nothing_to_do(self, broker: NatsBroker) -> None:
        assert not await retire_if_filter_changed(broker.config.connection_state.stream, STREAM, unique("absent"), "netraven.jobs.x")
