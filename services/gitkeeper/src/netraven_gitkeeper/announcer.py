"""Tell the bus what became of each backup, after its commit and index rows are durable.

Event ids are derived from the device and commit, so announcing a redelivered backup again is
deduplicated by JetStream (within its 2-minute window) and recognisable by consumers after that.
"""

import asyncio
from uuid import NAMESPACE_URL, UUID, uuid5

import structlog
from faststream.nats import NatsBroker
from netraven_shared.events import ConfigChanged, ConfigStored
from netraven_shared.events.configs import MAX_DIFF_CHARS
from netraven_shared.messaging import publish_event
from netraven_shared.operator_log import OperatorLog

from netraven_gitkeeper.planner import Fate
from netraven_gitkeeper.writer import Stored

log = structlog.get_logger()


def event_id(kind: str, *parts: object) -> UUID:
    return uuid5(NAMESPACE_URL, f"netraven:{kind}:" + ":".join(map(str, parts)))


def config_changed(stored: Stored) -> ConfigChanged:
    event = stored.event
    return ConfigChanged(
        event_id=event_id("config-changed", event.device_id, stored.commit),
        correlation_id=event.correlation_id,
        run_id=event.run_id,
        job_id=event.job_id,
        device_id=event.device_id,
        hostname=event.hostname,
        old_commit=stored.old_commit,
        new_commit=stored.commit,
        diff=stored.diff[:MAX_DIFF_CHARS],
        diff_truncated=len(stored.diff) > MAX_DIFF_CHARS,
        changed_lines=stored.changed_lines,
    )


def summary(stored: Stored) -> str:
    hostname, commit = stored.event.hostname, (stored.commit or "")[:10]
    return {
        Fate.COMMITTED: f"{hostname}: new version {commit} ({stored.changed_lines} lines changed)",
        Fate.REDELIVERED: f"{hostname}: version {commit} was already stored (backup delivered again)",
        Fate.UNCHANGED: f"{hostname}: unchanged since the last backup, no new commit",
        Fate.ALREADY_IN_GIT: f"{hostname}: config already in the repository at {commit}, indexed for this device",
    }[stored.fate]


class BusAnnouncer:
    def __init__(self, broker: NatsBroker) -> None:
        self._broker = broker
        self._oplog = OperatorLog(broker, "gitkeeper")

    async def announce(self, batch: list[Stored]) -> None:
        await asyncio.gather(*(self._announce(stored) for stored in batch))

    async def _announce(self, stored: Stored) -> None:
        event = stored.event
        ids = {
            "job_id": event.job_id,
            "run_id": event.run_id,
            "device_id": event.device_id,
            "correlation_id": event.correlation_id,
        }
        await publish_event(
            self._broker,
            ConfigStored(
                event_id=event_id("config-stored", event.run_id, event.device_id, stored.commit),
                run_id=event.run_id,
                device_id=event.device_id,
                hostname=event.hostname,
                commit=stored.commit,
                sha256=event.sha256,
                changed=stored.changed,
                correlation_id=event.correlation_id,
            ),
        )
        if stored.changed:
            await publish_event(self._broker, config_changed(stored))
        await self._oplog.emit("info", "config", summary(stored), commit=stored.commit, **ids)
        log.info(
            "config.stored", hostname=event.hostname, commit=stored.commit, fate=stored.fate.value
        )
