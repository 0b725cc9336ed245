"""Which backups gitkeeper may store, and as what: the database and the text are believed, the event
is not.

A `DeviceBackedUp` names a run and a device by id. The device's hostname (hence its file in git) and
type, and the run's job, come from the rows those ids name; sha256 and size are computed from the
text. A backup is refused, before anything reaches git, when its run does not back up that device
(an unknown run, an unknown device, a forged pairing, a reachability run), or when its text is one
the index or the bus cannot carry.
"""

from collections.abc import Iterable
from typing import NamedTuple
from uuid import UUID

from netraven_shared.config_transport import sha256_of
from netraven_shared.events.base import INT32_MAX
from netraven_shared.rejection import Rejected
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_gitkeeper.planner import Backup
from netraven_gitkeeper.repository import BackupOrigin, backup_origins, existing_devices


class Refusal(NamedTuple):
    backup: Backup
    reason: str


class Admission(NamedTuple):
    admitted: list[Backup]
    refused: list[Refusal]


async def admit(session: AsyncSession, backups: Iterable[Backup]) -> Admission:
    """Each backup rebuilt from what the database says about it, or refused with the reason."""
    backups = list(backups)
    origins = await backup_origins(
        session, {(backup.event.run_id, backup.event.device_id) for backup in backups}
    )
    unmatched = [
        backup.event.device_id
        for backup in backups
        if (backup.event.run_id, backup.event.device_id) not in origins
    ]
    known_devices = await existing_devices(session, unmatched) if unmatched else set()
    admission = Admission([], [])
    for backup in backups:
        try:
            admission.admitted.append(
                trusted(
                    backup,
                    origins.get((backup.event.run_id, backup.event.device_id)),
                    known_devices,
                )
            )
        except Rejected as refusal:
            admission.refused.append(Refusal(backup, refusal.reason))
    return admission


def trusted(backup: Backup, origin: BackupOrigin | None, known_devices: set[UUID]) -> Backup:
    """The backup with its identity from `origin` and its digest from its text; raises `Rejected` if
    it has none."""
    event = backup.event
    if origin is None and event.device_id not in known_devices:
        raise Rejected(f"device {event.device_id} is not in the inventory")
    if origin is None:
        raise Rejected(
            f"run {event.run_id} does not back up device {event.device_id} "
            "(unknown run, or not one of its devices)"
        )
    if origin.run_kind != "backup":
        raise Rejected(f"run {event.run_id} is a {origin.run_kind} run, not a backup")
    if "\x00" in backup.text:
        raise Rejected(f"the config of device {event.device_id} holds a NUL byte")
    size = len(backup.text.encode())
    if size > INT32_MAX:
        raise Rejected(
            f"the config of device {event.device_id} is {size} bytes, "
            "more than the version index can record"
        )
    return Backup(
        event.model_copy(
            update={
                "hostname": origin.hostname,
                "device_type": origin.device_type,
                "job_id": origin.job_id,
                "correlation_id": origin.correlation_id,
                "sha256": sha256_of(backup.text),
                "size_bytes": size,
            }
        ),
        backup.text,
        tuple((name, text) for name, text in backup.outputs if "\x00" not in text),
    )
