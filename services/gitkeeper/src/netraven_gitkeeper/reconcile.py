"""Make the version index agree with the repository, at start-up and after a failed index write.

- commits in git that no index row names (a crash between commit and index) are indexed from their
  commit messages;
- index rows naming commits git does not have (the repository restored from an older backup) are
  marked `missing_from_repo`, and unmarked if the commits come back; nothing is deleted.
"""

import asyncio
from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_gitkeeper.commit_message import parse_files
from netraven_gitkeeper.repository import ConfigRepository, LoggedCommit
from netraven_gitkeeper.versions import existing_devices, indexed_commits, mark_missing, record_versions

log = structlog.get_logger()
ROWS_PER_INSERT = 1000


@dataclass(frozen=True)
class Reconciled:
    indexed_versions: int
    missing_commits: int
    marked_rows: int
    restored_rows: int


async def reconcile(repo: ConfigRepository, sessions: async_sessionmaker[AsyncSession]) -> Reconciled:
    reachable = await asyncio.to_thread(repo.reachable_commits)
    async with sessions() as session:
        indexed = await indexed_commits(session)
        missing = indexed - set(reachable)
        marked, restored = await mark_missing(session, missing)
        unindexed = [commit for commit in reversed(reachable) if commit not in indexed]
        rows = await _rows_of(session, await asyncio.to_thread(repo.logged, unindexed))
        for start in range(0, len(rows), ROWS_PER_INSERT):
            await record_versions(session, rows[start:start + ROWS_PER_INSERT])
        await session.commit()
    result = Reconciled(len(rows), len(missing), marked, restored)
    if missing:
        log.warning(
            "config_versions.missing_from_repo", commits=len(missing), newly_marked_rows=marked, examples=sorted(missing)[:5],
            hint="the config repository lacks commits the index names (restored from an older backup?); "
            "those versions are hidden and cannot be read until the commits are back",
        )
    if rows or restored:
        log.info("config_versions.reconciled", indexed_from_git=len(rows), unmarked_rows=restored)
    return result


async def _rows_of(session: AsyncSession, commits: list[LoggedCommit]) -> list[dict[str, object]]:
    rows = [
        {
            "device_id": file.device_id, "commit": commit.commit, "path": file.path, "sha256": file.sha256,
            "size_bytes": file.size_bytes, "committed_at": file.stored_at, "run_id": file.run_id,
            "changed_lines": commit.changed_lines.get(file.path, 0),
        }
        for commit in commits
        for file in parse_files(commit.message)
    ]
    known = await existing_devices(session, list({row["device_id"] for row in rows}))
    return [row for row in rows if row["device_id"] in known]
