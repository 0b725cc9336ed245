"""Backups as the pump hands them to the writer, and a look at the repository."""

import subprocess
from uuid import uuid4

from faststream.nats import NatsBroker

from netraven_gitkeeper.planner import Backup
from netraven_gitkeeper.repository import ConfigRepository
from netraven_shared.config_transport import config_fields, config_text_of, sha256_of
from netraven_shared.events import DeviceBackedUp
from netraven_shared.events.base import utc_now


def backed_up_event(device: dict, fields: dict, run_id=None) -> DeviceBackedUp:
    return DeviceBackedUp(
        run_id=run_id or uuid4(), device_id=device["id"], hostname=device["hostname"], device_type="cisco_ios",
        collected_at=utc_now(), **fields,
    )


async def backup(broker: NatsBroker, device: dict, text: str, run_id=None) -> Backup:
    """What the pump hands the writer for a worker's `DeviceBackedUp` of this text."""
    event = backed_up_event(device, await config_fields(broker, text), run_id)
    return Backup(event, await config_text_of(broker, event))


def inline_backup(device: dict, text: str, run_id=None) -> Backup:
    fields = {"sha256": sha256_of(text), "size_bytes": len(text.encode()), "config_text": text}
    return Backup(backed_up_event(device, fields, run_id), text)


def commit_count(repo: ConfigRepository) -> int:
    if repo.head() is None:
        return 0
    return int(subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=repo.root, capture_output=True, text=True, check=True).stdout)
