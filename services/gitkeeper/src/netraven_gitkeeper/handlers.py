"""The config-read RPCs. A request that is not valid JSON or does not match its schema is answered
at once with `RequestRefused` (and recorded), instead of leaving the requester to time out. Backups
are pulled by the batch consumer (backup_consumer.py)."""

from faststream.nats import NatsBroker, NatsRouter
from netraven_shared.events import subjects
from netraven_shared.events.config_archive import ConfigArchiveReply, ConfigArchiveRequest
from netraven_shared.events.config_read import (
    ConfigDiffReply,
    ConfigDiffRequest,
    ConfigReadReply,
    ConfigReadRequest,
    ConfigSearchReply,
    ConfigSearchRequest,
    RequestRefused,
)
from netraven_shared.refused_requests import answering_bad_requests

from netraven_gitkeeper.reader import ConfigReader


def register_handlers(broker: NatsBroker, reader: ConfigReader) -> None:
    router = NatsRouter(
        middlewares=[answering_bad_requests(lambda reason: RequestRefused(error=reason))]
    )

    @router.subscriber(subjects.CONFIG_READ, queue="gitkeeper", title="gitkeeper/read-config")
    async def on_config_read(request: ConfigReadRequest) -> ConfigReadReply:
        return await reader.read(request)

    @router.subscriber(subjects.CONFIG_DIFF, queue="gitkeeper", title="gitkeeper/diff-configs")
    async def on_config_diff(request: ConfigDiffRequest) -> ConfigDiffReply:
        return await reader.diff(request)

    @router.subscriber(subjects.CONFIG_SEARCH, queue="gitkeeper", title="gitkeeper/search-configs")
    async def on_config_search(request: ConfigSearchRequest) -> ConfigSearchReply:
        return await reader.search(request)

    @router.subscriber(
        subjects.CONFIG_ARCHIVE, queue="gitkeeper", title="gitkeeper/archive-configs"
    )
    async def on_config_archive(request: ConfigArchiveRequest) -> ConfigArchiveReply:
        return await reader.archive(request)

    broker.include_router(router)
