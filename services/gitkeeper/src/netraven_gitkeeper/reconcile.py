"""Make the version index agree with the repository, at start-up and after a failed index write.

- commits in git that no index row names (a crash between commit and index) are indexed from their
  commit messages;
- index rows naming commits git does not have (the repository restored from an older backup) are
  marked `missing_from_repo`, and unmarked if the commits come back; nothing is deleted.

A commit the index cannot hold (a message line that does not parse, a value its column refuses) is
skipped with its reason, logged and returned, so one bad commit never stops gitkeeper from starting.
"""

import asyncio
import re
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import structlog
from netraven_shared.events.base import INT32_MAX, SHA256_PATTERN
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_gitkeeper.commit_message import PREFIX, StoredFile, parse_files
from netraven_gitkeeper.config_repo import ConfigRepository, LoggedCommit
from netraven_gitkeeper.repository import (
    existing_devices,
    indexed_commits,
    mark_missing,
    record_versions,
)

log = structlog.get_logger()
ROWS_PER_INSERT = 1000
_SHA256 = re.compile(SHA256_PATTERN)


@dataclass(frozen=True)
class Skipped:
    """A commit, or one file of it, left out of the index, and why."""

    commit: str
    reason: str
    device_id: UUID | None = None


@dataclass(frozen=True)
class Reconciled:
    indexed_versions: int
    missing_commits: int
    marked_rows: int
    restored_rows: int
    skipped: list[Skipped] = field(default_factory=list)


async def reconcile(
    repo: ConfigRepository, sessions: async_sessionmaker[AsyncSession]
) -> Reconciled:
    reachable = await asyncio.to_thread(repo.reachable_commits)
    async with sessions() as session:
        indexed = await indexed_commits(session)
        missing = indexed - set(reachable)
        marked, restored = await mark_missing(session, missing)
        unindexed = [commit for commit in reversed(reachable) if commit not in indexed]
        rows, skipped = await _rows_of(session, await asyncio.to_thread(repo.logged, unindexed))
        recorded = 0
        for start in range(0, len(rows), ROWS_PER_INSERT):
            recorded += await _record(session, rows[start : start + ROWS_PER_INSERT], skipped)
        await session.commit()
    result = Reconciled(recorded, len(missing), marked, restored, skipped)
    if missing:
        log.warning(
            "config_versions.missing_from_repo",
            commits=len(missing),
            newly_marked_rows=marked,
            examples=sorted(missing)[:5],
            hint="the config repository lacks commits the index names "
            "(restored from an older backup?); those versions are hidden and cannot be read "
            "until the commits are back",
        )
    for skip in skipped:
        log.warning(
            "config_versions.not_indexed",
            commit=skip.commit,
            device_id=str(skip.device_id) if skip.device_id else None,
            reason=skip.reason,
        )
    if recorded or restored:
        log.info("config_versions.reconciled", indexed_from_git=recorded, unmarked_rows=restored)
    return result


async def _rows_of(
    session: AsyncSession, commits: list[LoggedCommit]
) -> tuple[list[dict[str, Any]], list[Skipped]]:
    rows: list[dict[str, Any]] = []
    skipped: list[Skipped] = []
    for commit in commits:
        files = parse_files(commit.message)
        declared = sum(line.startswith(PREFIX) for line in commit.message.splitlines())
        if len(files) < declared:
            skipped.append(
                Skipped(
                    commit.commit,
                    f"{declared - len(files)} of its {declared} '{PREFIX.strip()}' lines "
                    "do not parse",
                )
            )
        for file in files:
            changed_lines = commit.changed_lines.get(file.path, 0)
            if reason := _unindexable(file, changed_lines):
                skipped.append(Skipped(commit.commit, reason, file.device_id))
                continue
            rows.append(
                {
                    "device_id": file.device_id,
                    "commit": commit.commit,
                    "path": file.path,
                    "sha256": file.sha256,
                    "size_bytes": file.size_bytes,
                    "committed_at": file.stored_at,
                    "run_id": file.run_id,
                    "changed_lines": changed_lines,
                    "outputs_sha256": file.outputs_sha256,
                }
            )
    known = await existing_devices(session, list({row["device_id"] for row in rows}))
    return [row for row in rows if row["device_id"] in known], skipped


def _unindexable(file: StoredFile, changed_lines: int) -> str | None:
    """Why the index cannot hold this file's row, for what is plain before asking PostgreSQL; None
    when it can."""
    if not _SHA256.match(file.sha256):
        return f"sha256 {file.sha256[:80]!r} is not a SHA-256 digest"
    if file.outputs_sha256 is not None and not _SHA256.match(file.outputs_sha256):
        return f"outputs {file.outputs_sha256[:80]!r} is not a SHA-256 digest"
    if not 0 <= file.size_bytes <= INT32_MAX:
        return f"size {file.size_bytes} does not fit the index"
    if file.stored_at.tzinfo is None:
        return f"time {file.stored_at.isoformat()} has no time zone"
    if changed_lines > INT32_MAX:
        return f"{changed_lines} changed lines do not fit the index"
    return None


async def _record(session: AsyncSession, rows: list[dict[str, Any]], skipped: list[Skipped]) -> int:
    """Insert the rows, and if PostgreSQL refuses them together, one by one, skipping each it
    refuses."""
    try:
        async with session.begin_nested():
            await record_versions(session, rows)
        return len(rows)
    except DBAPIError:
        pass
    recorded = 0
    for row in rows:
        try:
            async with session.begin_nested():
                await record_versions(session, [row])
            recorded += 1
        except DBAPIError as error:
            skipped.append(
                Skipped(
                    str(row["commit"]),
                    f"refused by PostgreSQL: {str(error.orig).splitlines()[0][:200]}",
                    row["device_id"],
                )
            )
    return recorded
