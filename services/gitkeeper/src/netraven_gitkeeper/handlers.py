from faststream.nats import NatsBroker

from netraven_gitkeeper.reader import ConfigReader
from netraven_shared.events import subjects
from netraven_shared.events.config_read import (
    ConfigDiffReply,
    ConfigDiffRequest,
    ConfigReadReply,
    ConfigReadRequest,
    ConfigSearchReply,
    ConfigSearchRequest,
)


def register_handlers(broker: NatsBroker, reader: ConfigReader) -> None:
    """The config-read RPCs. Backups are pulled in batches by `BackupPump`, outside FastStream."""

    @broker.subscriber(subjects.CONFIG_READ, queue="gitkeeper", title="gitkeeper/read-config")
    async def on_config_read(request: ConfigReadRequest) -> ConfigReadReply:
        return await reader.read(request)

    @broker.subscriber(subjects.CONFIG_DIFF, queue="gitkeeper", title="gitkeeper/diff-configs")
    async def on_config_diff(request: ConfigDiffRequest) -> ConfigDiffReply:
        return await reader.diff(request)

    @broker.subscriber(subjects.CONFIG_SEARCH, queue="gitkeeper", title="gitkeeper/search-configs")
    async def on_config_search(request: ConfigSearchRequest) -> ConfigSearchReply:
        return await reader.search(request)
