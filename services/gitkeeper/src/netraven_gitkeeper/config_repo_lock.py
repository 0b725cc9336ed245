"""One writer at a time on the config repository, across processes: gitkeeper's batches and
`redact-history`; and one pusher at a time per mirror (`mirror_push_lock`), whichever replica.

An exclusive `flock` on a file in the repository's git directory (never in a working tree, where it
would show as an untracked file). The kernel drops it when its holder exits, even when killed, so a
crash never leaves the repository locked. It is taken without blocking and retried, so a task
waiting for it can be cancelled. It serialises processes on one host (or one local volume); flock
over NFS is not to be relied on.
"""

import asyncio
import fcntl
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

LOCK_FILE = "netraven-write.lock"
RETRY_SECONDS = 0.05


@asynccontextmanager
async def repository_lock(root: Path, lock_file: str = LOCK_FILE) -> AsyncIterator[None]:
    git_dir = root / ".git" if (root / ".git").is_dir() else root
    with open(git_dir / lock_file, "a") as handle:  # noqa: ASYNC230  (a local lock file: no wait)
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                await asyncio.sleep(RETRY_SECONDS)
        yield


def mirror_push_lock(root: Path, mirror: str) -> AbstractAsyncContextManager[None]:
    """Held while pushing to one mirror: a push never waits for commits, nor they for it."""
    return repository_lock(root, f"netraven-mirror-{mirror}.lock")
