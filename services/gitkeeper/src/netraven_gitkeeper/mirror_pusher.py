"""One task per mirror that pushes the config repository, never in the way of a commit.

`signal()` after each committed batch only sets a flag: the task pushes whatever HEAD is when it
gets to it, so one push covers every commit made meanwhile. A push that fails is retried after
1, 2, 4 … seconds, up to the `retry_max_seconds` setting; commits signalled while it waits only
refresh the count of commits waiting. The task also pushes once at start, so commits made while
gitkeeper was down (or by `redact-history`) go out. Replicas sharing the repository push one at a
time per mirror (`mirror_push_lock`); each push sends whatever the remote lacks.
"""

import asyncio
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from pathlib import Path

import structlog
from netraven_shared.events.base import utc_now
from netraven_shared.events.mirror_status import MirrorStatus
from netraven_shared.task_stop import stop_task

from netraven_gitkeeper.config_repo_lock import mirror_push_lock
from netraven_gitkeeper.git_cli import GitCli
from netraven_gitkeeper.git_metrics import mirror_push_failed, mirror_pushed
from netraven_gitkeeper.mirror_announcer import MirrorAnnouncer
from netraven_gitkeeper.mirror_push import MirrorGit, MirrorPushError
from netraven_gitkeeper.mirror_settings import Mirror

log = structlog.get_logger()
FIRST_RETRY_SECONDS = 1.0


class MirrorPusher:
    def __init__(
        self,
        mirror: Mirror,
        repo_root: Path,
        announcer: MirrorAnnouncer,
        retry_max_seconds: float,
        push_timeout_seconds: float,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.mirror = mirror
        self._root = repo_root
        self._git = MirrorGit(GitCli(repo_root), mirror, push_timeout_seconds)
        self._announcer = announcer
        self._retry_max = retry_max_seconds
        self._clock = clock
        self._wanted = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        mirror_pushed(mirror.name)
        self._status = MirrorStatus(
            name=mirror.name,
            remote=mirror.remote,
            branch=mirror.branch,
            state="pending",
            attempts=0,
            commits_waiting=0,
            updated_at=clock(),
        )

    def signal(self) -> None:
        """New commits: push them soon. Never waits."""
        self._wanted.set()

    async def start(self) -> None:
        if (previous := await self._announcer.previous(self.mirror.name)) is not None:
            self._status = self._status.model_copy(
                update={
                    "last_success_at": previous.last_success_at,
                    "last_pushed_commit": previous.last_pushed_commit,
                }
            )
        self._wanted.set()
        self._task = asyncio.create_task(self._push_forever(), name=f"mirror-{self.mirror.name}")

    async def stop(self) -> None:
        await stop_task(self._task)

    async def _push_forever(self) -> None:
        loop = asyncio.get_running_loop()
        retry_at: float | None = None
        first_delay = min(FIRST_RETRY_SECONDS, self._retry_max)
        delay = first_delay
        while True:
            wait = None if retry_at is None else max(0.0, retry_at - loop.time())
            with suppress(TimeoutError):
                await asyncio.wait_for(self._wanted.wait(), wait)
            if retry_at is not None and loop.time() < retry_at:
                self._wanted.clear()
                await self._refresh_waiting()
                continue
            self._wanted.clear()
            try:
                pushed = await self._attempt()
            except Exception:  # the task must outlive any surprise; retried below
                log.exception("mirror.attempt_crashed", mirror=self.mirror.name)
                pushed = False
            if pushed:
                retry_at, delay = None, first_delay
            else:
                retry_at, delay = loop.time() + delay, min(delay * 2, self._retry_max)

    async def _attempt(self) -> bool:
        async with mirror_push_lock(self._root, self.mirror.name):
            head = await asyncio.to_thread(self._git.head)
            error = None
            if head is not None:
                try:
                    await self._git.push(head)
                except MirrorPushError as failure:
                    error = str(failure)
            waiting = await asyncio.to_thread(self._git.commits_waiting)
        if error is None:
            mirror_pushed(self.mirror.name)
            await self._succeeded(head, waiting)
            return True
        mirror_push_failed(self.mirror.name)
        await self._failed(error, waiting)
        return False

    async def _succeeded(self, head: str | None, waiting: int) -> None:
        before = self._status
        now = self._clock()
        self._status = before.model_copy(
            update={
                "state": "ok" if head else "pending",  # an empty repository has nothing to push
                "last_success_at": now if head else before.last_success_at,
                "last_pushed_commit": head or before.last_pushed_commit,
                "last_error": None,
                "failing_since": None,
                "attempts": 0,
                "commits_waiting": waiting,
                "updated_at": now,
            }
        )
        await self._announcer.status(self._status)
        if before.failing_since is not None and head is not None:
            await self._announcer.recovered(self._status, before.failing_since)

    async def _failed(self, error: str, waiting: int) -> None:
        before = self._status
        now = self._clock()
        self._status = before.model_copy(
            update={
                "state": "failing",
                "last_error": error,
                "failing_since": before.failing_since or now,
                "attempts": before.attempts + 1,
                "commits_waiting": waiting,
                "updated_at": now,
            }
        )
        await self._announcer.status(self._status)
        if before.failing_since is None or before.last_error != error:
            await self._announcer.failed(self._status)

    async def _refresh_waiting(self) -> None:
        waiting = await asyncio.to_thread(self._git.commits_waiting)
        self._status = self._status.model_copy(
            update={"commits_waiting": waiting, "updated_at": self._clock()}
        )
        await self._announcer.status(self._status)
