"""Clear what an unclean shutdown left behind: a stale pid file, or a server whose parent died.

A `make run` killed with -9 leaves its servers running and holding their ports and data dirs;
the next start stops them. A pid file whose process is gone, or whose pid now belongs to some
unrelated program, is just deleted.
"""

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

import structlog

log = structlog.get_logger()

POLL_INTERVAL = 0.05
PROC = Path("/proc")


def clear_leftover_server(
    pid_file: Path, markers: Sequence[str], stop_signal: signal.Signals, timeout: float = 15.0
) -> None:
    """Stop the process in `pid_file` if its command line holds every marker; drop the file."""
    pid = _read_pid(pid_file)
    if pid is None:
        return
    command = _command_line(pid) if _is_alive(pid) else None
    if command is not None and all(marker in command for marker in markers):
        log.warning("devstack.leftover_server_stopping", pid=pid, pid_file=str(pid_file))
        _stop(pid, stop_signal, timeout)
    pid_file.unlink(missing_ok=True)


def kill_processes_working_in(directory: Path, program: str, grace: float = 5.0) -> None:
    """Give `program`'s processes working in `directory` `grace` seconds to exit, then kill them.

    PostgreSQL backends chdir into the data dir; after the postmaster is killed they linger a
    moment still attached to its shared memory, and a new postmaster refuses to start until they
    are gone. Linux only: elsewhere there is no /proc to find them by.
    """
    deadline = time.monotonic() + grace
    while (pids := _pids_working_in(directory, program)) and time.monotonic() < deadline:
        time.sleep(POLL_INTERVAL)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _read_pid(pid_file: Path) -> int | None:
    try:
        first_line = pid_file.read_text().split("\n", 1)[0].strip()
    except FileNotFoundError:
        return None
    return int(first_line) if first_line.isdigit() else None


def _stop(pid: int, stop_signal: signal.Signals, timeout: float) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, stop_signal)
        if _gone_within(pid, timeout):
            return
        os.kill(pid, signal.SIGKILL)
        _gone_within(pid, timeout=5.0)


def _gone_within(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _is_alive(pid):
            return True
        time.sleep(POLL_INTERVAL)
    return False


def _is_alive(pid: int) -> bool:
    """Running, as opposed to gone or a zombie whose exit nobody has collected yet."""
    return _state(pid) not in ("", "Z")


def _state(pid: int) -> str:
    if not _has_proc():
        return _ps(pid, "stat")[:1]
    try:
        return (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def _command_line(pid: int) -> str:
    if not _has_proc():
        return _ps(pid, "command")
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace")


def _has_proc() -> bool:
    return (PROC / "self").exists()


def _ps(pid: int, field: str) -> str:
    result = subprocess.run(
        ["ps", "-o", f"{field}=", "-p", str(pid)], capture_output=True, text=True, check=False
    )
    return result.stdout.strip()


def _pids_working_in(directory: Path, program: str) -> list[int]:
    pids = []
    for proc in PROC.glob("[0-9]*"):
        with contextlib.suppress(OSError):
            if Path(os.readlink(proc / "cwd")) != directory:
                continue
            pid = int(proc.name)
            if _is_alive(pid) and program in _command_line(pid):
                pids.append(pid)
    return pids
