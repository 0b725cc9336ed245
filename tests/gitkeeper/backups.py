"""Backups as the pump hands them to the writer, each of a run the database knows, and a look at the
repository."""

import subprocess

from faststream.nats import NatsBroker
from netraven_gitkeeper.config_repo import ConfigRepository
from netraven_gitkeeper.planner import Backup
from netraven_gitkeeper.writer import ConfigWriter, Stored
from netraven_shared.config_transport import config_fields, config_text_of, sha256_of
from netraven_shared.db.models import ConfigVersion
from netraven_shared.events import DeviceBackedUp
from netraven_shared.events.base import utc_now
from sqlalchemy import select

from tests.fixtures.factories import create_run


def backed_up_event(device: dict, fields: dict, run_id) -> DeviceBackedUp:
    return DeviceBackedUp(
        run_id=run_id,
        device_id=device["id"],
        hostname=device["hostname"],
        device_type="cisco_ios",
        collected_at=utc_now(),
        **fields,
    )


async def backup(sessions, broker: NatsBroker, device: dict, text: str, run_id=None) -> Backup:
    """What the pump hands the writer for a worker's `DeviceBackedUp` of this text, in a new run
    unless `run_id` is given."""
    event = backed_up_event(
        device,
        await config_fields(broker, text),
        run_id or await create_run(sessions, [device["id"]]),
    )
    return Backup(event, await config_text_of(broker, event))


def backup_of_text(device: dict, text: str, run_id) -> Backup:
    """A backup carrying its text inline, of whatever run it is told (no database involved)."""
    fields = {"sha256": sha256_of(text), "size_bytes": len(text.encode()), "config_text": text}
    return Backup(backed_up_event(device, fields, run_id), text)


async def inline_backup(sessions, device: dict, text: str, run_id=None) -> Backup:
    return backup_of_text(device, text, run_id or await create_run(sessions, [device["id"]]))


async def store(writer: ConfigWriter, backups: list[Backup]) -> list[Stored]:
    """Write backups the database vouches for: every one is stored, none refused."""
    stored, rejected = await writer.write(backups)
    assert rejected == [], rejected
    return stored


def commit_count(repo: ConfigRepository) -> int:
    if repo.head() is None:
        return 0
    return int(
        subprocess.run(
            ["git", "rev-list", "--count", "HEAD"],
            cwd=repo.root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )


async def latest_version(session, device_id) -> ConfigVersion | None:
    """The device's newest version in the index (rows missing from the repository left out)."""
    return await session.scalar(
        select(ConfigVersion)
        .where(ConfigVersion.device_id == device_id, ConfigVersion.missing_from_repo.is_(False))
        .order_by(ConfigVersion.committed_at.desc(), ConfigVersion.id.desc())
        .limit(1)
    )
