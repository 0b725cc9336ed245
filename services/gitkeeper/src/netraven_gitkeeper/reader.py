"""Answer the api's config-read RPCs (read, diff, search, archive) from the repository and the
version index."""

import asyncio

import structlog
from faststream.nats import NatsBroker
from netraven_shared.config_transport import put_reply_object, reply_fields
from netraven_shared.events.config_archive import ConfigArchiveReply, ConfigArchiveRequest
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
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_gitkeeper.config_repo import ConfigRepository, output_path
from netraven_gitkeeper.repository import find_version, latest_versions
from netraven_gitkeeper.search import count_changes, find_matches

log = structlog.get_logger()
SEARCH_MAX_MATCHES = 500  # over all devices: keeps a reply well under NATS's max payload


class ConfigReader:
    def __init__(
        self, repo: ConfigRepository, sessions: async_sessionmaker[AsyncSession], broker: NatsBroker
    ) -> None:
        self._repo = repo
        self._sessions = sessions
        self._broker = broker

    async def read(self, request: ConfigReadRequest) -> ConfigReadReply:
        async with self._sessions() as session:
            version = await find_version(session, request.device_id, request.commit)
        if version is None:
            return ConfigReadReply(found=False)
        path = _file(version.path, request.output)
        text = await asyncio.to_thread(self._repo.read, version.commit, path)
        if text is None:
            return ConfigReadReply(found=False)
        return ConfigReadReply(found=True, **await reply_fields(self._broker, text))

    async def diff(self, request: ConfigDiffRequest) -> ConfigDiffReply:
        async with self._sessions() as session:
            old = await find_version(session, request.device_id, request.from_commit)
            new = await find_version(session, request.device_id, request.to_commit)
        if old is None or new is None:
            return ConfigDiffReply(found=False)
        text = await asyncio.to_thread(
            self._repo.diff,
            (old.commit, _file(old.path, request.output)),
            (new.commit, _file(new.path, request.output)),
        )
        if text is None:
            return ConfigDiffReply(found=False)
        added, removed = count_changes(text)
        return ConfigDiffReply(
            found=True,
            from_commit=old.commit,
            to_commit=new.commit,
            added=added,
            removed=removed,
            **await reply_fields(self._broker, text),
        )

    async def archive(self, request: ConfigArchiveRequest) -> ConfigArchiveReply:
        archive = await asyncio.to_thread(self._repo.archive, request.at)
        if archive is None:
            return ConfigArchiveReply(found=False)
        return ConfigArchiveReply(
            found=True,
            commit=archive.commit,
            committed_at=archive.committed_at,
            archive_object=await put_reply_object(self._broker, archive.tar_gz),
            size_bytes=len(archive.tar_gz),
        )

    async def search(self, request: ConfigSearchRequest) -> ConfigSearchReply:
        """Search the latest config of every device: git grep narrows to files, each is then read at
        its version."""
        async with self._sessions() as session:
            by_path = {version.path: version for version in await latest_versions(session)}
        paths = sorted(
            p
            for p in await asyncio.to_thread(self._repo.paths_containing, request.query)
            if p in by_path
        )
        results: list[DeviceMatches] = []
        truncated, budget = len(paths) > request.limit, SEARCH_MAX_MATCHES
        for path in paths[: request.limit]:
            if budget == 0:
                truncated = True
                break
            version = by_path[path]
            text = await asyncio.to_thread(self._repo.read, version.commit, path)
            matches, more = find_matches(
                text or "", request.query, min(SEARCH_MAX_MATCHES_PER_DEVICE, budget)
            )
            truncated = truncated or more
            if matches:
                results.append(
                    DeviceMatches(
                        device_id=version.device_id, commit=version.commit, matches=matches
                    )
                )
                budget -= len(matches)
        log.info("config.searched", devices=len(results), truncated=truncated)
        return ConfigSearchReply(results=results, truncated=truncated)


def _file(config: str, output: str | None) -> str:
    """The config's file, or the file of one of its extra outputs beside it."""
    return config if output is None else output_path(config, output)
