"""How to start PostgreSQL, which refuses to run as root, on machines where we are root.

Preferred: a user namespace (`unshare --user`) in which postgres sees an ordinary account's
uid while its files stay owned by the real root, so data dirs anywhere root can write work.
Fallback: really switch to that account, which then has to own the data dir and reach it.
"""

import functools
import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netraven_devstack.errors import DevstackError

# initdb looks its own uid up in /etc/passwd, so postgres must appear as an account that exists.
UNPRIVILEGED_ACCOUNTS = ("postgres", "nobody")


@dataclass(frozen=True)
class PostgresLauncher:
    prefix: tuple[str, ...] = ()
    run_as: pwd.struct_passwd | None = None

    def argv(self, program: Path, *args: str) -> list[str]:
        return [*self.prefix, str(program), *args]

    def popen_kwargs(self) -> dict[str, Any]:
        if self.run_as is None:
            return {}
        return {"user": self.run_as.pw_uid, "group": self.run_as.pw_gid}

    def hand_over(self, *paths: Path) -> None:
        """Give the account that will run postgres the directories it has to own."""
        if self.run_as is None:
            return
        for path in paths:
            for item in [path, *path.rglob("*")]:
                os.chown(item, self.run_as.pw_uid, self.run_as.pw_gid, follow_symlinks=False)

    @property
    def hint(self) -> str:
        if self.run_as is None:
            return ""
        return (
            f"\nPostgreSQL runs as user '{self.run_as.pw_name}' because we are root and "
            "`unshare --user` does not work here. That user must be able to reach the data dir "
            "(every parent directory needs o+x). Alternatives: enable unprivileged user "
            "namespaces (sysctl user.max_user_namespaces=15000) or run as a non-root user."
        )


def choose_launcher() -> PostgresLauncher:
    if os.geteuid() != 0:
        return PostgresLauncher()
    account = _unprivileged_account()
    prefix = (
        "unshare",
        "--user",
        f"--map-user={account.pw_uid}",
        f"--map-group={account.pw_gid}",
    )
    if _user_namespaces_work(prefix):
        return PostgresLauncher(prefix=prefix)
    return PostgresLauncher(run_as=account)


def _unprivileged_account() -> pwd.struct_passwd:
    for name in UNPRIVILEGED_ACCOUNTS:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise DevstackError(
        "PostgreSQL refuses to run as root, and neither a 'postgres' nor a 'nobody' account "
        "exists to run it as. Create one (`useradd --system postgres`) or run as a non-root user."
    )


@functools.cache
def _user_namespaces_work(prefix: tuple[str, ...]) -> bool:
    if shutil.which(prefix[0]) is None:
        return False
    probe = subprocess.run([*prefix, "true"], capture_output=True, check=False)
    return probe.returncode == 0
