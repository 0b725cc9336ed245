"""Store a device's config: one git commit when it changed, one version row, one `ConfigStored`."""

import asyncio

import structlog
from faststream.nats import NatsBroker
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_gitkeeper.repository import ConfigRepository, config_path
from netraven_gitkeeper.search import count_changes, find_matches
from netraven_gitkeeper.versions import find_version, latest_version, latest_versions, record_version
from netraven_shared.config_transport import config_fields, config_text_of, sha256_of
from netraven_shared.events import ConfigStored, DeviceBackedUp
from netraven_shared.events.base import utc_now
from netraven_shared.events.config_read import (
    SEARCH_MAX_MATCHES_PER_DEVICE,
    ConfigDiffReply,
    ConfigDiffRequest,
    ConfigReadReply,
    ConfigReadRequest,
    ConfigSearchReply,
    ConfigSearchRequest,
    DeviceMatches,
)
from netraven_shared.messaging import publish_event
from netraven_shared.operator_log import OperatorLog

log = structlog.get_logger()
SEARCH_MAX_MATCHES = 500  # over all devices: keeps a reply well under NATS's max payload


class CorruptConfig(ValueError):
    pass


class ConfigStore:
    def __init__(self, repo: ConfigRepository, sessions: async_sessionmaker[AsyncSession], broker: NatsBroker) -> None:
        self._repo = repo
        self._sessions = sessions
        self._broker = broker
        self._oplog = OperatorLog(broker, "gitkeeper")
        self._write_lock = asyncio.Lock()

    async def store(self, event: DeviceBackedUp) -> None:
        text = await config_text_of(self._broker, event)
        if sha256_of(text) != event.sha256:
            raise CorruptConfig(f"config of {event.hostname} does not match its sha256; not stored")
        path = config_path(event.hostname)
        async with self._write_lock, self._sessions() as session:
            latest = await latest_version(session, event.device_id)
            if latest is not None and latest.sha256 == event.sha256:
                commit, changed = latest.commit, False
            else:
                message = f"{event.hostname}: config backup (run {event.run_id})"
                written = await asyncio.to_thread(self._repo.write, path, text, message)
                commit, changed = written.commit, True
                await record_version(session, {
                    "device_id": event.device_id, "commit": commit, "path": path, "sha256": event.sha256,
                    "size_bytes": event.size_bytes, "committed_at": utc_now(), "run_id": event.run_id,
                })
                await session.commit()
        await publish_event(self._broker, ConfigStored(
            run_id=event.run_id, device_id=event.device_id, hostname=event.hostname, commit=commit,
            sha256=event.sha256, changed=changed, correlation_id=event.correlation_id,
        ))
        summary = f"new version {commit[:10]}" if changed else "unchanged since the last backup, no new commit"
        await self._oplog.emit("info", "config", f"{event.hostname}: {summary}", job_id=event.job_id, run_id=event.run_id, device_id=event.device_id, correlation_id=event.correlation_id, commit=commit)
        log.info("config.stored", hostname=event.hostname, commit=commit, changed=changed)

    async def read(self, request: ConfigReadRequest) -> ConfigReadReply:
        async with self._sessions() as session:
            version = await find_version(session, request.device_id, request.commit)
        if version is None:
            return ConfigReadReply(found=False)
        text = await asyncio.to_thread(self._repo.read, version.commit, version.path)
        if text is None:
            return ConfigReadReply(found=False)
        return ConfigReadReply(found=True, **await config_fields(self._broker, text))

    async def diff(self, request: ConfigDiffRequest) -> ConfigDiffReply:
        async with self._sessions() as session:
            old = await find_version(session, request.device_id, request.from_commit)
            new = await find_version(session, request.device_id, request.to_commit)
        if old is None or new is None:
            return ConfigDiffReply(found=False)
        text = await asyncio.to_thread(self._repo.diff, (old.commit, old.path), (new.commit, new.path))
        if text is None:
            return ConfigDiffReply(found=False)
        added, removed = count_changes(text)
        return ConfigDiffReply(
            found=True, from_commit=old.commit, to_commit=new.commit, added=added, removed=removed,
            **await config_fields(self._broker, text),
        )

    async def search(self, request: ConfigSearchRequest) -> ConfigSearchReply:
        """Search the latest config of every device: git grep narrows to files, each is then read at its version."""
        async with self._sessions() as session:
            by_path = {version.path: version for version in await latest_versions(session)}
        paths = sorted(p for p in await asyncio.to_thread(self._repo.paths_containing, request.query) if p in by_path)
        results: list[DeviceMatches] = []
        truncated, budget = len(paths) > request.limit, SEARCH_MAX_MATCHES
        for path in paths[:request.limit]:
            if budget == 0:
                truncated = True
                break
            version = by_path[path]
            text = await asyncio.to_thread(self._repo.read, version.commit, path)
            matches, more = find_matches(text or "", request.query, min(SEARCH_MAX_MATCHES_PER_DEVICE, budget))
            truncated = truncated or more
            if matches:
                results.append(DeviceMatches(device_id=version.device_id, commit=version.commit, matches=matches))
                budget -= len(matches)
        log.info("config.searched", devices=len(results), truncated=truncated)
        return ConfigSearchReply(results=results, truncated=truncated)
