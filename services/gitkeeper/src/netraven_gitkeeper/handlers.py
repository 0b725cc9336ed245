from faststream.middlewares import AckPolicy
from faststream.nats import NatsBroker, PullSub

from netraven_gitkeeper.service import ConfigStore
from netraven_shared.events import DeviceBackedUp, subjects
from netraven_shared.events.config_read import (
    ConfigDiffReply,
    ConfigDiffRequest,
    ConfigReadReply,
    ConfigReadRequest,
    ConfigSearchReply,
    ConfigSearchRequest,
)
from netraven_shared.messaging import consumer_config, stream_ref


def register_handlers(broker: NatsBroker, store: ConfigStore) -> None:
    @broker.subscriber(
        subjects.BACKUP_SUCCEEDED,
        stream=stream_ref(subjects.BACKUP_SUCCEEDED),
        durable="gitkeeper",
        pull_sub=PullSub(batch_size=1, timeout=5),
        config=consumer_config(ack_wait_seconds=60),
        ack_policy=AckPolicy.REJECT_ON_ERROR,
        title="gitkeeper/store-config",
    )
    async def on_backed_up(event: DeviceBackedUp) -> None:
        await store.store(event)

    @broker.subscriber(subjects.CONFIG_READ, queue="gitkeeper", title="gitkeeper/read-config")
    async def on_config_read(request: ConfigReadRequest) -> ConfigReadReply:
        return await store.read(request)

    @broker.subscriber(subjects.CONFIG_DIFF, queue="gitkeeper", title="gitkeeper/diff-configs")
    async def on_config_diff(request: ConfigDiffRequest) -> ConfigDiffReply:
        return await store.diff(request)

    @broker.subscriber(subjects.CONFIG_SEARCH, queue="gitkeeper", title="gitkeeper/search-configs")
    async def on_config_search(request: ConfigSearchRequest) -> ConfigSearchReply:
        return await store.search(request)
