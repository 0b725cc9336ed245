"""Push the config repository's branch to one mirror with git itself, and keep the commit it
last took (`refs/netraven/mirrors/<name>`) to count the commits still waiting.

Credentials reach git and ssh only as file names in their environment, never as arguments or
values: an SSH remote gets the deploy key and the pinned known_hosts file (strict host key
checking, this key only, no agent, no ~/.ssh or ssh_config); an https remote with a token gets a
credential helper that reads the token file when git asks. Neither system nor global git config is
read, so no credential helper or URL rewrite from outside takes part.
"""

import asyncio
import os
import shlex

from netraven_shared.events.base import fitted

from netraven_gitkeeper.git_cli import GitCli, GitError
from netraven_gitkeeper.mirror_settings import Mirror, Transport

SSH_CONNECT_TIMEOUT_SECONDS = 30
TOKEN_USERNAME = "x-access-token"  # GitHub's; GitLab and Gitea take any name with a token
# `git credential` runs a helper starting with `!` in a shell, with `get`, `store` or `erase`.
_TOKEN_HELPER = (
    '!f() { test "$1" = get || exit 0; echo "username=$MIRROR_USERNAME"; '
    'printf "password=%s\\n" "$(cat "$MIRROR_TOKEN_FILE")"; }; f'
)


def push_environment(mirror: Mirror) -> dict[str, str]:
    environment = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    if mirror.transport == Transport.SSH:
        environment["GIT_SSH_COMMAND"] = ssh_command(mirror)
        environment["GIT_SSH_VARIANT"] = "ssh"
    if mirror.token_file is not None:
        environment |= {
            "GIT_CONFIG_COUNT": "2",
            "GIT_CONFIG_KEY_0": "credential.helper",
            "GIT_CONFIG_VALUE_0": "",  # an empty helper clears any configured before
            "GIT_CONFIG_KEY_1": "credential.helper",
            "GIT_CONFIG_VALUE_1": _TOKEN_HELPER,
            "MIRROR_TOKEN_FILE": str(mirror.token_file.absolute()),
            "MIRROR_USERNAME": mirror.username or TOKEN_USERNAME,
        }
    return environment


def ssh_command(mirror: Mirror) -> str:
    assert mirror.ssh_key_file is not None and mirror.known_hosts_file is not None
    options = {
        "IdentitiesOnly": "yes",
        "IdentityAgent": "none",
        "StrictHostKeyChecking": "yes",
        "UserKnownHostsFile": str(mirror.known_hosts_file.absolute()),
        "GlobalKnownHostsFile": os.devnull,
        "UpdateHostKeys": "no",
        "BatchMode": "yes",
        "ConnectTimeout": str(SSH_CONNECT_TIMEOUT_SECONDS),
    }
    words = ["ssh", "-F", os.devnull, "-i", str(mirror.ssh_key_file.absolute())]
    for name, value in options.items():
        words += ["-o", f"{name}={value}"]
    return shlex.join(words)


class MirrorGit:
    def __init__(self, git: GitCli, mirror: Mirror, timeout_seconds: float) -> None:
        self._git = git
        self._mirror = mirror
        self._timeout = timeout_seconds
        self._pushed_ref = f"refs/netraven/mirrors/{mirror.name}"

    def head(self) -> str | None:
        return self._rev_parse("HEAD") or None

    async def push(self, commit: str) -> None:
        """Push `commit` to the mirror's branch (fast-forward only), then remember it as pushed;
        raises MirrorPushError with the reason, free of any secret."""
        try:
            await self._git.run_remote(
                "push",
                "--porcelain",
                "--no-verify",
                self._mirror.url,
                f"{commit}:refs/heads/{self._mirror.branch}",
                environment=push_environment(self._mirror),
                timeout=self._timeout,
            )
        except GitError as error:
            raise MirrorPushError(self._without_secrets(error.stderr)) from None
        await asyncio.to_thread(self._git.run, "update-ref", self._pushed_ref, commit)

    def last_pushed(self) -> str | None:
        return self._rev_parse(self._pushed_ref) or None

    def commits_waiting(self) -> int:
        if self.head() is None:
            return 0
        since = f"{self._pushed_ref}..HEAD" if self.last_pushed() else "HEAD"
        return int(self._git.run("rev-list", "--count", since).strip())

    def _rev_parse(self, ref: str) -> str:
        return self._git.run(
            "rev-parse", "-q", "--verify", f"{ref}^{{commit}}", ok_statuses=(0, 1)
        ).strip()

    def _without_secrets(self, text: str) -> str:
        text = text.replace(self._mirror.url, self._mirror.remote)
        if self._mirror.token_file is not None:
            try:
                token = self._mirror.token_file.read_text().strip()
            except OSError:
                token = ""
            if token:
                text = text.replace(token, "***")
        lines = [line for line in text.splitlines() if line.strip()]
        return fitted("\n".join(lines[-5:]) or "git push failed without a message")


class MirrorPushError(RuntimeError):
    pass
