"""The git mirrors' status, from what gitkeeper writes to the `netraven-mirrors` bucket."""

from datetime import datetime

from nats.js import JetStreamContext
from netraven_shared.events.mirror_status import MIRRORS_BUCKET

from netraven_api.kv_statuses import live_statuses
from netraven_api.mirrors.schemas import MirrorOut


async def mirror_statuses(js: JetStreamContext, now: datetime) -> list[MirrorOut]:
    """Every configured mirror, sorted by name; an entry stays until gitkeeper stops naming it."""
    mirrors = await live_statuses(js, MIRRORS_BUCKET, MirrorOut, lambda m: m.updated_at, None, now)
    return sorted(mirrors, key=lambda mirror: mirror.name)
