"""Create a new PostgreSQL cluster: the one-time step before its first start."""

import subprocess
from pathlib import Path

from netraven_devstack.errors import ServerStartError
from netraven_devstack.postgres_binaries import PostgresBinaries
from netraven_devstack.postgres_launcher import PostgresLauncher

INITDB_TIMEOUT = 120.0


def is_initialised(data_dir: Path) -> bool:
    return (data_dir / "PG_VERSION").is_file()


def initialise_cluster(
    data_dir: Path,
    superuser: str,
    binaries: PostgresBinaries,
    launcher: PostgresLauncher,
    *,
    skip_sync: bool,
) -> None:
    """initdb with trust authentication, UTF8 and the C locale (the same on every machine)."""
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    launcher.hand_over(data_dir)
    args = ["-D", str(data_dir), "-U", superuser, "--auth=trust", "-E", "UTF8", "--locale=C"]
    if skip_sync:
        args.append("--no-sync")
    result = subprocess.run(
        launcher.argv(binaries.initdb, *args),
        capture_output=True,
        text=True,
        timeout=INITDB_TIMEOUT,
        check=False,
        **launcher.popen_kwargs(),
    )
    if result.returncode != 0:
        raise ServerStartError(
            f"initdb failed for {data_dir} (exit {result.returncode}):\n"
            f"{result.stdout}{result.stderr}{launcher.hint}"
        )
