"""NETRAVEN_STREAM_REPLICAS on a 3-node cluster: the owner declares its streams and object stores
with that many copies, and declaring again with another count changes the existing ones."""

from netraven_devstack.nats_cluster import NatsCluster
from netraven_shared.bus_identities import TEST_IDENTITY
from netraven_shared.bus_streams import OBJECT_STORES, STREAMS
from netraven_shared.messaging import build_broker, declare_streams
from netraven_shared.settings import NetRavenSettings

from tests.fixtures.infra import Infra


async def replicas_declared(on_cluster: Infra, replicas: int) -> dict[str, int | None]:
    settings = NetRavenSettings(**on_cluster.nats_settings(), stream_replicas=replicas)
    broker = build_broker(settings, TEST_IDENTITY, "tests-replicas")
    try:
        await declare_streams(broker)
        js = broker.config.connection_state.stream
        names = [
            *(str(config.name) for config in STREAMS),
            *(f"OBJ_{s.bucket}" for s in OBJECT_STORES),
        ]
        return {name: (await js.stream_info(name)).config.num_replicas for name in names}
    finally:
        await broker.stop()


async def test_streams_and_object_stores_take_the_replica_count_of_the_settings(
    infra: Infra, nats_cluster: NatsCluster
) -> None:
    on_cluster = Infra(infra.database_url, nats_cluster.url, infra.credentials)
    single = await replicas_declared(on_cluster, 1)
    triple = await replicas_declared(on_cluster, 3)
    assert set(single.values()) == {1}, single
    assert triple == dict.fromkeys(single, 3)
