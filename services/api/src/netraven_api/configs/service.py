"""Config history reads: the version index from PostgreSQL, texts, diffs and searches from gitkeeper
over NATS.

The api never opens gitkeeper's repository; it asks gitkeeper (request/reply).
"""

from typing import TypeVar
from uuid import UUID

from faststream.nats import NatsBroker
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout
from netraven_shared.config_transport import config_text_of
from netraven_shared.db.models import ConfigVersion
from netraven_shared.errors import InvalidInput, NotFound, Unavailable
from netraven_shared.events import subjects
from netraven_shared.events.config_archive import ConfigArchiveReply
from netraven_shared.events.config_read import (
    ConfigDiffReply,
    ConfigDiffRequest,
    ConfigReadReply,
    ConfigReadRequest,
    ConfigSearchReply,
    ConfigSearchRequest,
)
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.configs import repository
from netraven_api.configs.schemas import ConfigDiff, DeviceSearchResult


async def list_versions(session: AsyncSession, device_id: UUID, limit: int) -> list[ConfigVersion]:
    return await repository.versions_of(session, device_id, limit)


async def find_version(session: AsyncSession, device_id: UUID, commit: str) -> ConfigVersion:
    version = await repository.version_of(session, device_id, commit)
    if version is None:
        raise NotFound(f"device {device_id} has no config version {commit}")
    return version


async def read_text(
    broker: NatsBroker, device_id: UUID, commit: str, timeout: float, output: str | None = None
) -> str:
    request = ConfigReadRequest(device_id=device_id, commit=commit, output=output)
    reply = answered(
        ConfigReadReply.model_validate_json(
            await ask_gitkeeper(broker, request, subjects.CONFIG_READ, timeout)
        )
    )
    if not reply.found:
        raise NotFound(f"gitkeeper has no {_what(output)} {commit} for device {device_id}")
    return await config_text_of(broker, reply)


async def diff(
    session: AsyncSession,
    broker: NatsBroker,
    device_id: UUID,
    old: str,
    new: str,
    timeout: float,
    output: str | None = None,
) -> ConfigDiff:
    old_version, new_version = (
        await find_version(session, device_id, old),
        await find_version(session, device_id, new),
    )
    request = ConfigDiffRequest(
        device_id=device_id,
        from_commit=old_version.commit,
        to_commit=new_version.commit,
        output=output,
    )
    reply = answered(
        ConfigDiffReply.model_validate_json(
            await ask_gitkeeper(broker, request, subjects.CONFIG_DIFF, timeout)
        )
    )
    if not reply.found:
        raise NotFound(f"gitkeeper has no {_what(output)} {old} or {new} for device {device_id}")
    text = await config_text_of(broker, reply)
    return ConfigDiff(
        from_=reply.from_commit,
        to=reply.to_commit,
        diff=text,
        added=reply.added,
        removed=reply.removed,
    )


async def search(
    session: AsyncSession, broker: NatsBroker, query: str, limit: int, timeout: float
) -> tuple[list[DeviceSearchResult], bool]:
    """Matches in the latest config of every device, and whether more were left off."""
    request = ConfigSearchRequest(query=query, limit=limit)
    reply = answered(
        ConfigSearchReply.model_validate_json(
            await ask_gitkeeper(broker, request, subjects.CONFIG_SEARCH, timeout)
        )
    )
    hostnames = await repository.hostnames_of(session, [r.device_id for r in reply.results])
    results = [
        DeviceSearchResult(
            device_id=r.device_id,
            hostname=hostnames[r.device_id],
            commit=r.commit,
            matches=r.matches,
        )
        for r in reply.results
        if r.device_id in hostnames
    ]
    return results, reply.truncated


Reply = TypeVar("Reply", ConfigReadReply, ConfigDiffReply, ConfigSearchReply, ConfigArchiveReply)


def _what(output: str | None) -> str:
    """A config, or an extra output kept at a config version (stored when the config changed)."""
    return "config" if output is None else f"'{output}' output at version"


def answered(reply: Reply) -> Reply:
    """The reply, unless gitkeeper refused the request: then the caller's input was wrong."""
    if reply.error is not None:
        raise InvalidInput("gitkeeper refused the request", detail=reply.error)
    return reply


async def ask_gitkeeper(
    broker: NatsBroker, request: BaseModel, subject: str, timeout: float
) -> bytes:
    try:
        response = await broker.request(request, subject, timeout=timeout)
    except (NoRespondersError, NatsTimeout) as error:
        raise Unavailable("gitkeeper did not answer; is the gitkeeper service running?") from error
    return response.body
