"""One child server process: spawned with its output in a log file, awaited until ready, stopped."""

import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from netraven_devstack.errors import ServerStartError

POLL_INTERVAL = 0.05
LOG_TAIL_LINES = 25


class ServerProcess:
    def __init__(self, name: str, argv: Sequence[str], log_path: Path, **popen_kwargs: Any) -> None:
        self.name = name
        self.argv = list(argv)
        self.log_path = log_path
        self._popen_kwargs = popen_kwargs
        self._process: subprocess.Popen[bytes] | None = None
        self._log_offset = 0

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Spawn in a session of its own, so Ctrl-C reaches the supervisor, not the server: the
        supervisor stops the services first and the servers they drain into last."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self._log_offset = log.tell()
            self._process = subprocess.Popen(
                self.argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                **self._popen_kwargs,
            )

    def wait_until_ready(self, is_ready: Callable[[], bool], timeout: float) -> None:
        """Poll `is_ready` until it holds; on exit or timeout, stop the process and raise."""
        assert self._process is not None, "start() first"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            exit_code = self._process.poll()
            if exit_code is not None:
                raise self._start_error(f"exited with code {exit_code} while starting")
            if is_ready():
                return
            time.sleep(POLL_INTERVAL)
        self.stop(signal.SIGTERM, timeout=5)
        raise self._start_error(f"was not ready after {timeout:g}s")

    def stop(self, stop_signal: signal.Signals, timeout: float) -> None:
        """Ask the server to stop with `stop_signal`; kill it if it has not exited by `timeout`."""
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(stop_signal)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._process = None

    def log_tail(self) -> str:
        """The last lines this run wrote, skipping whatever earlier runs left in the file."""
        try:
            with self.log_path.open("rb") as log:
                log.seek(self._log_offset)
                text = log.read().decode(errors="replace")
        except FileNotFoundError:
            return ""
        return "\n".join(text.splitlines()[-LOG_TAIL_LINES:])

    def _start_error(self, what: str) -> ServerStartError:
        tail = self.log_tail() or "(the log is empty)"
        return ServerStartError(
            f"{self.name} {what}.\n"
            f"command: {' '.join(self.argv)}\n"
            f"log: {self.log_path}\n--- last lines of the log ---\n{tail}"
        )
