"""The config-read RPCs. A request that is not valid JSON or does not match its schema gets an error reply
at once, instead of leaving the requester to time out. Backups are pulled by the batch consumer (pump.py)."""

from collections.abc import Awaitable, Callable
from typing import TypeVar

from faststream.nats import NatsBroker, NatsMessage
from pydantic import BaseModel, ValidationError

from netraven_gitkeeper.reader import ConfigReader
from netraven_shared.rejected_events import reason_of
from netraven_shared.events import subjects
from netraven_shared.events.config_read import (
    ConfigDiffReply,
    ConfigDiffRequest,
    ConfigReadReply,
    ConfigReadRequest,
    ConfigSearchReply,
    ConfigSearchRequest,
)

Request = TypeVar("Request", bound=BaseModel)
Reply = TypeVar("Reply", bound=BaseModel)


async def answer(
    message: NatsMessage, request_type: type[Request], reply_type: type[Reply], handle: Callable[[Request], Awaitable[Reply]],
) -> Reply:
    try:
        request = request_type.model_validate_json(message.body)
    except ValidationError as error:
        return reply_type.model_validate({"error": reason_of(error)} | ({"found": False} if "found" in reply_type.model_fields else {}))
    return await handle(request)


def register_handlers(broker: NatsBroker, reader: ConfigReader) -> None:
    @broker.subscriber(subjects.CONFIG_READ, queue="gitkeeper", title="gitkeeper/read-config")
    async def on_config_read(message: NatsMessage) -> ConfigReadReply:
        return await answer(message, ConfigReadRequest, ConfigReadReply, reader.read)

    @broker.subscriber(subjects.CONFIG_DIFF, queue="gitkeeper", title="gitkeeper/diff-configs")
    async def on_config_diff(message: NatsMessage) -> ConfigDiffReply:
        return await answer(message, ConfigDiffRequest, ConfigDiffReply, reader.diff)

    @broker.subscriber(subjects.CONFIG_SEARCH, queue="gitkeeper", title="gitkeeper/search-configs")
    async def on_config_search(message: NatsMessage) -> ConfigSearchReply:
        return await answer(message, ConfigSearchRequest, ConfigSearchReply, reader.search)
