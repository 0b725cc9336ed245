"""Config history reads: the version index from PostgreSQL, the text from gitkeeper over NATS.

The api never opens gitkeeper's repository; it asks gitkeeper (request/reply).
"""

from uuid import UUID

from faststream.nats import NatsBroker
from nats.errors import NoRespondersError, TimeoutError as NatsTimeout
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_shared.config_transport import config_text_of
from netraven_shared.db.models import ConfigVersion
from netraven_shared.errors import NotFound, Unavailable
from netraven_shared.events import subjects
from netraven_shared.events.config_read import ConfigReadReply, ConfigReadRequest


async def list_versions(session: AsyncSession, device_id: UUID, limit: int) -> list[ConfigVersion]:
    return list(await session.scalars(
        select(ConfigVersion).where(ConfigVersion.device_id == device_id)
        .order_by(ConfigVersion.committed_at.desc(), ConfigVersion.id.desc()).limit(limit)
    ))


async def find_version(session: AsyncSession, device_id: UUID, commit: str) -> ConfigVersion:
    version = await session.scalar(
        select(ConfigVersion).where(ConfigVersion.device_id == device_id, ConfigVersion.commit.startswith(commit))
    )
    if version is None:
        raise NotFound(f"device {device_id} has no config version {commit}")
    return version


async def read_text(broker: NatsBroker, device_id: UUID, commit: str, timeout: float) -> str:
    try:
        response = await broker.request(ConfigReadRequest(device_id=device_id, commit=commit), subjects.CONFIG_READ, timeout=timeout)
    except (NoRespondersError, NatsTimeout) as error:
        raise Unavailable("gitkeeper did not answer; is the gitkeeper service running?") from error
    reply = ConfigReadReply.model_validate_json(response.body)
    if not reply.found:
        raise NotFound(f"gitkeeper has no config {commit} for device {device_id}")
    return await config_text_of(broker, reply)
