"""Paramiko gives a shell an hour to open after login (and waits for a channel without bound): the
watchdog closes the transport when the shell has not opened `timeout` seconds after login
succeeded, so a device that logs us in and goes quiet ends the session within its own timeouts."""

import threading
import time

from netmiko import BaseConnection

_WATCH_EVERY_SECONDS = 0.1


class ShellWatchdog:
    """Closes the transport if the shell has not opened `timeout` seconds after login succeeded."""

    def __init__(self, connection: BaseConnection, timeout: float) -> None:
        self._connection = connection
        self._timeout = timeout
        self._stopped = threading.Event()
        self._fired = False
        self._thread = threading.Thread(target=self._watch, name="shell-watchdog", daemon=True)
        self._thread.start()

    def stop(self) -> bool:
        """Whether the watchdog had to close the transport."""
        self._stopped.set()
        self._thread.join()
        return self._fired

    def _watch(self) -> None:
        logged_in_at: float | None = None
        while not self._stopped.wait(_WATCH_EVERY_SECONDS):
            client = getattr(self._connection, "remote_conn_pre", None)
            transport = client.get_transport() if client is not None else None
            if transport is None or not transport.is_authenticated():
                continue
            logged_in_at = logged_in_at or time.monotonic()
            if time.monotonic() - logged_in_at >= self._timeout:
                self._fired = True
                transport.close()
                return
