"""Store a batch of backups: as few git commits as the batch allows, then the index rows, in one
transaction.

Each backup is first admitted against the database (`admission`): one the database does not vouch
for is refused with its reason and never reaches git, while the rest of the batch is stored. The
caller acks the stored backups' messages only after `write` returns, so a crash anywhere in here
means redelivery, and terminates the refused ones. Git is written before PostgreSQL; if the index
write fails, the next batch first rebuilds the missing rows from the commit messages (`reconcile`),
so a redelivered backup finds itself stored.
"""

import asyncio
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import NamedTuple

import structlog
from netraven_shared.events import DeviceBackedUp
from netraven_shared.events.base import utc_now
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_gitkeeper.admission import Refusal, admit
from netraven_gitkeeper.commit_message import StoredFile, commit_message
from netraven_gitkeeper.config_repo import Commit, ConfigRepository, output_name
from netraven_gitkeeper.config_repo_lock import repository_lock
from netraven_gitkeeper.git_metrics import count_commit
from netraven_gitkeeper.planner import Backup, Fate, Plan, Step, plan_batch
from netraven_gitkeeper.reconcile import reconcile
from netraven_gitkeeper.repository import (
    find_version,
    newest_versions,
    previous_version,
    record_versions,
)
from netraven_gitkeeper.search import count_changes

log = structlog.get_logger()


@dataclass(frozen=True)
class Stored:
    """What became of one backup: the commit holding it, and for a new commit the diff of its
    config (empty when only outputs changed) and the outputs it changed or removed."""

    event: DeviceBackedUp
    fate: Fate
    commit: str | None = None
    old_commit: str | None = None
    diff: str = ""
    changed_outputs: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        """A new version of the device: its config, its outputs or both."""
        return self.fate in (Fate.COMMITTED, Fate.REDELIVERED)

    @property
    def config_changed(self) -> bool:
        """A new version whose config changed: its commit holds a diff of the config file."""
        return self.changed and self.diff != ""

    @cached_property
    def changed_lines(self) -> int:
        return sum(count_changes(self.diff))


class Written(NamedTuple):
    """What became of a batch: the backups stored (in the batch's order, refused ones left out) and
    the ones refused, each with its reason."""

    stored: list[Stored]
    rejected: list[Refusal]


class ConfigWriter:
    def __init__(self, repo: ConfigRepository, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._repo = repo
        self._sessions = sessions
        self._lock = asyncio.Lock()
        self._index_behind_git = False

    async def write(self, backups: list[Backup], *, whole_or_nothing: bool = False) -> Written:
        """Store every backup the database vouches for, and refuse the others before anything
        reaches git. With `whole_or_nothing`, a batch holding a refused backup is not written at
        all (its refusals alone are returned): a consumer that isolates a refused message by
        splitting its batch asks so, and no valid backup is written twice.

        Raises only when the batch as a whole could not be stored (git or PostgreSQL failing): then
        nothing is refused and the caller hands every message back for redelivery.
        """
        async with self._lock, repository_lock(self._repo.root):
            if self._index_behind_git:
                await reconcile(self._repo, self._sessions)
                self._index_behind_git = False
            plan, rejected = await self._plan(backups, whole_or_nothing)
            for refusal in rejected:
                event = refusal.backup.event
                log.warning(
                    "config.refused",
                    device_id=str(event.device_id),
                    run_id=str(event.run_id),
                    reason=refusal.reason,
                )
            self._index_behind_git = bool(plan.groups)
            commits, rows = await self._commit(plan)
            stored = [await self._outcome(step, commits) for step in plan.steps]
            rows += [
                _row(s.backup, s.commit, None, 0)
                for s in plan.steps
                if s.fate is Fate.ALREADY_IN_GIT
            ]
            if rows:
                async with self._sessions() as session:
                    await record_versions(session, rows)
                    await session.commit()
            self._index_behind_git = False
            return Written(stored, rejected)

    async def _plan(
        self, backups: list[Backup], whole_or_nothing: bool
    ) -> tuple[Plan, list[Refusal]]:
        async with self._sessions() as session:
            backups, rejected = await admit(session, backups)
            if rejected and whole_or_nothing:
                return Plan(), rejected
            newest = await newest_versions(session, {backup.event.device_id for backup in backups})
        # git is asked only about files the index cannot settle: a batch of unchanged configs
        # starts no git process at all
        differing = {
            backup.path
            for backup in backups
            if (indexed := newest.get(backup.event.device_id)) is None
            or not backup.same_as(indexed.sha256, indexed.outputs_sha256)
        }
        committed = await asyncio.to_thread(self._repo.blobs_beside, differing)
        plan = plan_batch(backups, newest, committed)
        for step in plan.steps:
            if step.fate is Fate.ALREADY_IN_GIT:
                step.commit = await asyncio.to_thread(
                    self._repo.last_commit_beside, step.backup.path
                )
        return plan, rejected

    async def _commit(self, plan: Plan) -> tuple[list[Commit], list[dict]]:
        commits, rows = [], []
        for group in plan.groups:
            stored_at = utc_now()
            files = [_stored_file(step.backup, stored_at) for step in group]
            texts = {path: text for step in group for path, text in step.written.items()}
            removed = [path for step in group for path in step.removed]
            commit = await asyncio.to_thread(
                self._repo.commit, texts, commit_message(files), removed
            )
            commits.append(commit)
            count_commit(len(files))
            for step, file in zip(group, files, strict=True):
                changed_lines = sum(count_changes(commit.diffs.get(file.path, "")))
                rows.append(_row(step.backup, commit.commit, stored_at, changed_lines))
        return commits, rows

    async def _outcome(self, step: Step, commits: list[Commit]) -> Stored:
        event = step.backup.event
        if step.fate is Fate.COMMITTED:
            assert step.group is not None  # the planner numbers every committed step's commit
            commit = commits[step.group]
            old = _commit_of(step.previous, commits) if step.previous else step.previous_commit
            return Stored(
                event,
                step.fate,
                commit.commit,
                old,
                commit.diffs.get(step.backup.path, ""),
                tuple(
                    output_name(path)
                    for path in sorted([*step.written, *step.removed])
                    if path != step.backup.path
                ),
            )
        if step.fate is Fate.REDELIVERED:
            return await self._redelivered(step)
        return Stored(event, step.fate, _commit_of(step, commits))

    async def _redelivered(self, step: Step) -> Stored:
        """A backup already committed and indexed: rebuild what was announced for it, to announce
        again."""
        assert step.commit is not None  # the planner names the commit it found
        async with self._sessions() as session:
            version = await find_version(session, step.backup.event.device_id, step.commit)
            before = await previous_version(session, version) if version else None
        diff = await asyncio.to_thread(self._repo.diff_in_commit, step.commit, step.backup.path)
        return Stored(
            step.backup.event, step.fate, step.commit, before.commit if before else None, diff
        )


def _commit_of(step: Step, commits: list[Commit]) -> str | None:
    if step.fate is Fate.COMMITTED:
        assert step.group is not None  # the planner numbers every committed step's commit
        return commits[step.group].commit
    if step.commit is None and step.previous is not None:
        return _commit_of(step.previous, commits)
    return step.commit


def _stored_file(backup: Backup, stored_at: datetime) -> StoredFile:
    event = backup.event
    return StoredFile(
        device_id=event.device_id,
        hostname=event.hostname,
        run_id=event.run_id,
        sha256=event.sha256,
        size_bytes=event.size_bytes,
        stored_at=stored_at,
        path=backup.path,
        outputs_sha256=backup.outputs_sha256,
    )


def _row(
    backup: Backup, commit: str | None, stored_at: datetime | None, changed_lines: int
) -> dict[str, object]:
    event = backup.event
    return {
        "device_id": event.device_id,
        "commit": commit,
        "path": backup.path,
        "sha256": event.sha256,
        "size_bytes": event.size_bytes,
        "committed_at": stored_at or utc_now(),
        "run_id": event.run_id,
        "changed_lines": changed_lines,
        "outputs_sha256": backup.outputs_sha256,
    }
