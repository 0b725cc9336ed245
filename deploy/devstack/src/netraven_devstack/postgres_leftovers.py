"""What a killed PostgreSQL run leaves behind: its postmaster, its backends, its socket dir."""

import shutil
import signal
from pathlib import Path

from netraven_devstack.orphans import clear_leftover_server, kill_processes_working_in

SOCKET_DIR_PREFIX = "netraven-pg-"
# postmaster.pid holds one fact per line; the fifth is the unix socket directory.
PID_FILE_SOCKET_DIR_LINE = 4


def clear_postgres_leftovers(data_dir: Path) -> None:
    pid_file = data_dir / "postmaster.pid"
    socket_dir = _socket_dir_named_in(pid_file)
    clear_leftover_server(pid_file, ["postgres", str(data_dir)], signal.SIGINT)
    kill_processes_working_in(data_dir, "postgres")
    if socket_dir is not None and socket_dir.name.startswith(SOCKET_DIR_PREFIX):
        shutil.rmtree(socket_dir, ignore_errors=True)


def _socket_dir_named_in(pid_file: Path) -> Path | None:
    try:
        lines = pid_file.read_text().splitlines()
    except FileNotFoundError:
        return None
    if len(lines) <= PID_FILE_SOCKET_DIR_LINE or not lines[PID_FILE_SOCKET_DIR_LINE]:
        return None
    return Path(lines[PID_FILE_SOCKET_DIR_LINE])
