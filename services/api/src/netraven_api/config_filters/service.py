"""Config filters: operators' extra redaction and noise patterns for a platform or a tag.

The api alone writes them; the worker reads the enabled ones (cached a few seconds, see the
worker's inventory.py) and applies them after the driver's own rules, before the config leaves
it. Every save is a new version (`config_filter_versions`), the filter row holds the current one:
history is a list, a restore saves an old version again as the newest. A preview runs candidate
patterns on a device's stored config, read from gitkeeper like any config read, and saves nothing.
"""

import asyncio
import difflib
from uuid import UUID

from faststream.nats import NatsBroker
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import ConfigFilter, ConfigFilterVersion, User
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_shared.drivers.pipeline import RunawayRedaction, apply_filters
from netraven_shared.drivers.spec import OperatorFilter
from netraven_shared.errors import Conflict, InvalidInput, NotFound
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.config_filters import repository
from netraven_api.config_filters.schemas import (
    ConfigFilterDetail,
    ConfigFilterIn,
    ConfigFilterOut,
    ConfigFilterVersionOut,
    PreviewIn,
    PreviewOut,
)
from netraven_api.configs import repository as configs_repository
from netraven_api.configs.service import find_version, read_text
from netraven_api.devices.service import get_device
from netraven_api.platforms.service import platform_names


def filter_out(config_filter: ConfigFilter, tag: str | None) -> ConfigFilterOut:
    return ConfigFilterOut(
        id=config_filter.id,
        name=config_filter.name,
        platform=config_filter.platform,
        tag=tag,
        tag_id=config_filter.tag_id,
        redactions=config_filter.redactions,
        noise=config_filter.noise,
        enabled=config_filter.enabled,
        version=config_filter.version,
        created_at=config_filter.created_at,
        updated_at=config_filter.updated_at,
    )


async def list_filters(session: AsyncSession) -> list[ConfigFilterOut]:
    return [filter_out(f, tag) for f, tag in await repository.list_filters(session)]


async def get_filter(session: AsyncSession, filter_id: UUID) -> ConfigFilter:
    config_filter = await repository.get_filter(session, filter_id)
    if config_filter is None:
        raise NotFound(f"no config filter with id {filter_id}")
    return config_filter


async def describe(session: AsyncSession, config_filter: ConfigFilter) -> ConfigFilterDetail:
    tag = await repository.tag_name(session, config_filter.tag_id) if config_filter.tag_id else None
    versions = await repository.versions_of(session, config_filter.id)
    return ConfigFilterDetail(
        **filter_out(config_filter, tag).model_dump(),
        versions=[ConfigFilterVersionOut.model_validate(v, from_attributes=True) for v in versions],
    )


async def _scope(
    session: AsyncSession, catalog: DriverCatalog, data: ConfigFilterIn
) -> tuple[str | None, UUID | None]:
    if data.platform is not None:
        supported = platform_names(catalog)
        if data.platform not in supported:
            raise InvalidInput(
                f"platform: no driver for '{data.platform}' (supported: {', '.join(supported)})"
            )
        return data.platform, None
    assert data.tag is not None  # the schema holds exactly one of the two
    tag_id = await repository.tag_id_named(session, data.tag)
    if tag_id is None:
        raise InvalidInput(f"tag: no tag named '{data.tag}'")
    return None, tag_id


async def _refuse_taken(session: AsyncSession, name: str, other_than: UUID | None = None) -> None:
    if await repository.name_taken(session, name, other_than):
        raise Conflict(f"a config filter named '{name}' already exists")


def _save_version(
    session: AsyncSession, config_filter: ConfigFilter, by: User, comment: str
) -> None:
    session.add(
        ConfigFilterVersion(
            filter_id=config_filter.id,
            version=config_filter.version,
            redactions=config_filter.redactions,
            noise=config_filter.noise,
            enabled=config_filter.enabled,
            comment=comment,
            saved_by=by.username,
            saved_at=config_filter.updated_at,
        )
    )


def _set_patterns(config_filter: ConfigFilter, data: ConfigFilterIn) -> None:
    config_filter.redactions = [entry.model_dump() for entry in data.redactions]
    config_filter.noise = list(data.noise)
    config_filter.enabled = data.enabled


async def create(
    session: AsyncSession, catalog: DriverCatalog, data: ConfigFilterIn, by: User
) -> ConfigFilter:
    await _refuse_taken(session, data.name)
    platform, tag_id = await _scope(session, catalog, data)
    now = utc_now()
    config_filter = ConfigFilter(
        name=data.name, platform=platform, tag_id=tag_id, version=1, created_at=now, updated_at=now
    )
    _set_patterns(config_filter, data)
    session.add(config_filter)
    await session.flush()
    _save_version(session, config_filter, by, data.comment)
    await session.flush()
    return config_filter


async def update(
    session: AsyncSession, catalog: DriverCatalog, filter_id: UUID, data: ConfigFilterIn, by: User
) -> ConfigFilter:
    config_filter = await get_filter(session, filter_id)
    await _refuse_taken(session, data.name, filter_id)
    config_filter.platform, config_filter.tag_id = await _scope(session, catalog, data)
    config_filter.name = data.name
    _set_patterns(config_filter, data)
    config_filter.version += 1
    config_filter.updated_at = utc_now()
    _save_version(session, config_filter, by, data.comment)
    await session.flush()
    return config_filter


async def restore(
    session: AsyncSession, filter_id: UUID, version: int, by: User, comment: str
) -> ConfigFilter:
    """Save version `version`'s patterns again, as a new version."""
    config_filter = await get_filter(session, filter_id)
    old = await repository.version_of(session, filter_id, version)
    if old is None:
        raise NotFound(f"config filter '{config_filter.name}' has no version {version}")
    config_filter.redactions, config_filter.noise = old.redactions, old.noise
    config_filter.enabled = old.enabled
    config_filter.version += 1
    config_filter.updated_at = utc_now()
    _save_version(session, config_filter, by, comment or f"restored version {version}")
    await session.flush()
    return config_filter


async def delete(session: AsyncSession, filter_id: UUID) -> str:
    config_filter = await get_filter(session, filter_id)
    await session.delete(config_filter)
    await session.flush()
    return config_filter.name


async def preview(
    session: AsyncSession, broker: NatsBroker, data: PreviewIn, timeout: float
) -> PreviewOut:
    device = await get_device(session, data.device_id)
    if data.commit is not None:
        commit = (await find_version(session, device.id, data.commit)).commit
    else:
        newest = await configs_repository.versions_of(session, device.id, 1)
        if not newest:
            raise NotFound(f"{device.hostname} has no stored config yet: back it up first")
        commit = newest[0].commit
    before = await read_text(broker, device.id, commit, timeout)
    candidate = OperatorFilter.stored(
        "preview", 0, [entry.model_dump() for entry in data.redactions], list(data.noise)
    )
    try:
        filtered = await asyncio.to_thread(apply_filters, before, [candidate])
    except RunawayRedaction as error:
        raise InvalidInput(str(error)) from None
    diff = difflib.unified_diff(
        before.splitlines(keepends=True),
        filtered.text.splitlines(keepends=True),
        fromfile=f"{device.hostname}@{commit[:12]}",
        tofile=f"{device.hostname}@{commit[:12]} (filtered)",
    )
    return PreviewOut(
        device_id=device.id,
        hostname=device.hostname,
        commit=commit,
        before=before,
        after=filtered.text,
        diff="".join(diff),
        redacted=filtered.redacted,
        dropped=filtered.dropped,
    )
