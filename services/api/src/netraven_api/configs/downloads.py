"""Configs as files: one version of a device's config (or of an extra output) as text, the whole
tree at a point in time as a `.tar.gz` that gitkeeper makes. Filenames are safe whatever the
hostname holds."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from faststream.nats import NatsBroker
from netraven_shared.config_transport import reply_object
from netraven_shared.db.models import ConfigVersion
from netraven_shared.errors import NotFound
from netraven_shared.events import subjects
from netraven_shared.events.config_archive import ConfigArchiveReply, ConfigArchiveRequest
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.configs import repository, service
from netraven_api.devices.service import get_device

LATEST = "latest"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
SHORT_COMMIT = 8


@dataclass(frozen=True)
class ConfigFile:
    filename: str
    text: str
    commit: str


@dataclass(frozen=True)
class ConfigArchive:
    filename: str
    tar_gz: bytes
    commit: str


def safe_name(name: str) -> str:
    """Letters, digits, `.`, `_`, `-` only, never starting with a dot: fits any file system and a
    quoted Content-Disposition filename."""
    return _UNSAFE.sub("_", name).lstrip(".") or "device"


def attachment(filename: str) -> str:
    return f'attachment; filename="{filename}"'


async def version_file(
    session: AsyncSession,
    broker: NatsBroker,
    device_id: UUID,
    commit: str,
    timeout: float,
    output: str | None = None,
) -> ConfigFile:
    """The text of a version (`latest`: the newest) and the file name to save it as:
    `<hostname>-<short commit>.cfg`, or `<hostname>-<short commit>.<output>.txt`."""
    device = await get_device(session, device_id)
    version = await _version(session, device_id, commit)
    text = await service.read_text(broker, device_id, version.commit, timeout, output)
    stem = f"{safe_name(device.hostname)}-{version.commit[:SHORT_COMMIT]}"
    filename = f"{stem}.cfg" if output is None else f"{stem}.{output}.txt"
    return ConfigFile(filename=filename, text=text, commit=version.commit)


async def archive(broker: NatsBroker, at: datetime, timeout: float) -> ConfigArchive:
    """The tree as of `at`; a time to come is now (and stays within what a filename can say)."""
    at = min(at, datetime.now(UTC))
    if at < EPOCH:
        raise NotFound(f"the config repository has no commit at or before {at.isoformat()}")
    request = ConfigArchiveRequest(at=at)
    reply = service.answered(
        ConfigArchiveReply.model_validate_json(
            await service.ask_gitkeeper(broker, request, subjects.CONFIG_ARCHIVE, timeout)
        )
    )
    if not reply.found or reply.archive_object is None or reply.commit is None:
        raise NotFound(f"the config repository has no commit at or before {at.isoformat()}")
    stamp = at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return ConfigArchive(
        filename=f"netraven-configs-{stamp}.tar.gz",
        tar_gz=await reply_object(broker, reply.archive_object),
        commit=reply.commit,
    )


async def _version(session: AsyncSession, device_id: UUID, commit: str) -> ConfigVersion:
    if commit != LATEST:
        return await service.find_version(session, device_id, commit)
    version = await repository.newest_version(session, device_id)
    if version is None:
        raise NotFound(f"device {device_id} has no stored config yet")
    return version
