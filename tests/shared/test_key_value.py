"""KV buckets on a real NATS JetStream: created on first use, and a changed TTL setting applies."""

import uuid

from faststream.nats import NatsBroker
from netraven_shared.key_value import open_bucket


async def test_a_new_bucket_gets_the_ttl(broker: NatsBroker) -> None:
    js = broker.config.connection_state.stream
    kv = await open_bucket(js, f"test-kv-{uuid.uuid4().hex[:8]}", 6)
    assert (await kv.status()).ttl == 6


async def test_reopening_with_another_ttl_changes_it_and_keeps_the_keys(broker: NatsBroker) -> None:
    js = broker.config.connection_state.stream
    name = f"test-kv-{uuid.uuid4().hex[:8]}"
    first = await open_bucket(js, name, 60)
    await first.put("device-1", b"worker-a")

    again = await open_bucket(js, name, 6)

    assert (await again.status()).ttl == 6
    assert (await again.get("device-1")).value == b"worker-a"


async def test_no_ttl_given_leaves_the_bucket_as_it_is(broker: NatsBroker) -> None:
    js = broker.config.connection_state.stream
    name = f"test-kv-{uuid.uuid4().hex[:8]}"
    await open_bucket(js, name, 30)
    assert (await (await open_bucket(js, name)).status()).ttl == 30
