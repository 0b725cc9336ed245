"""Tell the bus what became of each backup of a batch, after its commit and index rows are durable.

A stored backup gives at most two messages of its own and a share of a third, each because a
consumer needs what it carries:
- `ConfigStored`, for every backup: the api's run recorder marks the device's result succeeded on
  it (and nothing else says the config is safe in git and in the index);
- `ConfigChanged`, for a new version whose config changed only (not one whose extra outputs alone
  changed: its config diff would be empty): other systems subscribe to it for the diff, the one
  message that carries it;
- a log line: operators read what became of the config (new version and its size, unchanged,
  delivered again) in the unified log, filtered by run or device; nothing else says it. The
  batch's lines travel together in `LogLinesEmitted` messages of some 130 lines each (the logs
  stream takes 64 KiB a message): 500 backups cost 4 publishes and deliveries to the
  log-collector, not 500.

The batch's facts go out together (one wait for all their acks) and so do its log lines, side by
side. Event ids are derived from the run, device, commit (and the fate, for a log line; a message
of lines from its lines' ids), so announcing a redelivered backup again is deduplicated by
JetStream (within its 2-minute window) and recognisable by consumers after that.
"""

import asyncio
from collections import Counter
from uuid import NAMESPACE_URL, UUID, uuid5

import structlog
from faststream.nats import NatsBroker
from netraven_shared.events import ConfigChanged, ConfigStored, Event, LogEmitted
from netraven_shared.events.configs import MAX_DIFF_CHARS
from netraven_shared.messaging import publish_events
from netraven_shared.operator_log import OperatorLog

from netraven_gitkeeper.planner import Fate
from netraven_gitkeeper.writer import Stored

log = structlog.get_logger()


def event_id(kind: str, *parts: object) -> UUID:
    return uuid5(NAMESPACE_URL, f"netraven:{kind}:" + ":".join(map(str, parts)))


def config_stored(stored: Stored) -> ConfigStored:
    event = stored.event
    return ConfigStored(
        event_id=event_id("config-stored", event.run_id, event.device_id, stored.commit),
        run_id=event.run_id,
        device_id=event.device_id,
        hostname=event.hostname,
        commit=stored.commit,
        sha256=event.sha256,
        changed=stored.changed,
        correlation_id=event.correlation_id,
    )


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
    match stored.fate:
        case Fate.COMMITTED if not stored.config_changed:
            outputs = ", ".join(stored.changed_outputs)
            return f"{hostname}: new version {commit}, config unchanged, outputs changed: {outputs}"
        case Fate.COMMITTED:
            return f"{hostname}: new version {commit} ({stored.changed_lines} lines changed)"
        case Fate.REDELIVERED:
            return f"{hostname}: version {commit} was already stored (backup delivered again)"
        case Fate.UNCHANGED:
            return f"{hostname}: unchanged since the last backup, no new commit"
        case Fate.ALREADY_IN_GIT:
            return (
                f"{hostname}: config already in the repository at {commit}, indexed for this device"
            )


class BusAnnouncer:
    def __init__(self, broker: NatsBroker) -> None:
        self._broker = broker
        self._oplog = OperatorLog(broker, "gitkeeper")

    async def announce(self, batch: list[Stored]) -> None:
        """Publish the batch's facts and its log lines; raises if a fact was not acked (a log
        line that could not be published is only logged)."""
        facts: list[Event] = []
        for stored in batch:
            facts.append(config_stored(stored))
            if stored.config_changed:
                facts.append(config_changed(stored))
        lines = [self._log_line(stored) for stored in batch]
        await asyncio.gather(publish_events(self._broker, facts), self._oplog.emit_lines(lines))
        if batch:
            log.info(
                "config.batch_announced",
                backups=len(batch),
                **Counter(stored.fate.value for stored in batch),
            )

    def _log_line(self, stored: Stored) -> LogEmitted:
        event = stored.event
        return self._oplog.line(
            "info",
            "config",
            summary(stored),
            job_id=event.job_id,
            run_id=event.run_id,
            device_id=event.device_id,
            correlation_id=event.correlation_id,
            event_id=event_id(
                "config-log", event.run_id, event.device_id, stored.commit, stored.fate.value
            ),
            commit=stored.commit,
        )
