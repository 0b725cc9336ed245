"""Run git itself, one short-lived process per command.

GitPython keeps `git cat-file` processes and object caches alive for as long as a `Repo` lives,
which grows a long-running service's memory and file descriptors; a plain process per command leaves
nothing behind. Every call but `run_remote` blocks: run it in a thread.

Git and anything it starts (hooks, aliases, helpers) get only the environment allowed here, never
the service's own: NETRAVEN_* settings hold the database password and other secrets, and a GIT_*
variable from outside (GIT_DIR, GIT_CONFIG_PARAMETERS) could point git at another repository.
"""

import asyncio
import os
import signal
import subprocess
from collections.abc import Mapping
from pathlib import Path

IDENTITY = {
    "GIT_AUTHOR_NAME": "NetRaven gitkeeper",
    "GIT_AUTHOR_EMAIL": "gitkeeper@netraven.local",
    "GIT_COMMITTER_NAME": "NetRaven gitkeeper",
    "GIT_COMMITTER_EMAIL": "gitkeeper@netraven.local",
}
PASSED_THROUGH = ("PATH", "HOME", "LANG", "TZ", "TMPDIR")
PASSED_THROUGH_PREFIXES = ("LC_",)
# A commit is acked only once it is on disk: fsync objects and refs, in one batch per command.
DURABLE = ("-c", "core.fsync=committed", "-c", "core.fsyncMethod=batch")


def git_environment(environment: Mapping[str, str]) -> dict[str, str]:
    """The allowed part of `environment`, plus what gitkeeper sets itself."""
    allowed = {
        name: value
        for name, value in environment.items()
        if name in PASSED_THROUGH or name.startswith(PASSED_THROUGH_PREFIXES)
    }
    return allowed | IDENTITY | {"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}


class GitError(RuntimeError):
    def __init__(self, args: list[str], status: int, stderr: str) -> None:
        super().__init__(f"git {' '.join(args[:2])} failed ({status}): {stderr.strip()[:500]}")
        self.status = status
        self.stderr = stderr.strip()


class GitCli:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._env = git_environment(os.environ)

    def run(
        self, *args: str, input: bytes | None = None, ok_statuses: tuple[int, ...] = (0,)
    ) -> str:
        """stdout of `git <args>`; raises GitError on a status outside `ok_statuses`."""
        return self.run_binary(*args, input=input, ok_statuses=ok_statuses).decode(errors="replace")

    def run_binary(
        self, *args: str, input: bytes | None = None, ok_statuses: tuple[int, ...] = (0,)
    ) -> bytes:
        """stdout of `git <args>` as bytes (an archive); raises like `run`."""
        done = subprocess.run(
            ["git", *args],
            cwd=self.root,
            env=self._env,
            input=input,
            capture_output=True,
            check=False,
        )
        if done.returncode not in ok_statuses:
            raise GitError(list(args), done.returncode, done.stderr.decode(errors="replace"))
        return done.stdout

    async def run_remote(self, *args: str, environment: Mapping[str, str], timeout: float) -> str:
        """stdout of `git <args>` talking to a remote, with `environment` added to git's own; the
        whole process group (git, ssh, helpers) is killed after `timeout` seconds (GitError) or
        when the caller is cancelled, so a hung remote never outlives a stopping service."""
        process = await asyncio.create_subprocess_exec(
            "git",
            *args,
            cwd=self.root,
            env=self._env | dict(environment),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            stdout, stderr = await asyncio.wait_for(process.communicate(), timeout)
        except TimeoutError:
            raise GitError(list(args), -1, f"no answer within {timeout:g} s") from None
        finally:
            if process.returncode is None:
                os.killpg(process.pid, signal.SIGKILL)
                await process.wait()
        if process.returncode != 0:
            raise GitError(list(args), process.returncode or -1, stderr.decode(errors="replace"))
        return stdout.decode(errors="replace")
