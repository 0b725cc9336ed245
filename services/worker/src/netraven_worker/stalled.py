"""A device that stops answering ends the session within its own timeouts, with an operator's reason.

Left to itself, Netmiko waits long for a device that logged us in and then went quiet: every wait
of its session preparation takes the whole read timeout, the graceful disconnect after a failure
waits that long once more, and Paramiko gives a shell an hour to open. With the worker's retries
on top, a hung device held its run for minutes. Here every phase has its bound (docs/device-trust.md,
"Timeouts"):

- opening the shell after login: the connect timeout, from the moment login succeeded (a watchdog
  closes the transport: Paramiko's own wait for a channel is an hour, for the shell unbounded);
- the first prompt, session preparation, enable and the driver's setup commands: the connect
  timeout for each wait;
- each collect command: the read timeout;
- after a failure: a short goodbye instead of a second full wait.
"""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from netmiko import BaseConnection
from netmiko.exceptions import NetmikoTimeoutException, ReadTimeout

# How long a failed session waits for the device's reply to its polite "exit".
GOODBYE_SECONDS = 0.5
_WATCH_EVERY_SECONDS = 0.1


class Stalled(Exception):
    """The device stopped answering: the message says where, and for how long it was waited on."""


class Shell:
    """A logged-in CLI whose every wait for the device is bounded."""

    def __init__(self, connection: BaseConnection, prompt_timeout: float) -> None:
        self.connection = connection
        self._prompt_timeout = prompt_timeout

    def enable(self) -> None:
        """Netmiko's enable; a refused secret raises ValueError as there."""
        with _waiting(self.connection, self._prompt_timeout, "during 'enable'"):
            self.connection.enable()

    def send(self, command: str, timeout: float) -> str:
        with _waiting(self.connection, timeout, f"during '{command}'"):
            output = self.connection.send_command(command, read_timeout=timeout)
        assert isinstance(
            output, str
        )  # parsed output (lists, dicts) only with use_textfsm and the like
        return output


@contextmanager
def open_shell(
    new_connection: Callable[..., BaseConnection], params: dict[str, Any], prompt_timeout: float
) -> Iterator[Shell]:
    """Log in with a connection from `new_connection` (Netmiko's `ConnectHandler` or one like it) and
    prepare the session; close it gracefully after success, briefly after any failure."""
    connection = new_connection(**params, read_timeout_override=prompt_timeout, auto_connect=False)
    try:
        _open(connection, prompt_timeout)
        yield Shell(connection, prompt_timeout)
    except BaseException:
        connection.read_timeout_override = GOODBYE_SECONDS
        connection.disconnect()
        raise
    connection.read_timeout_override = prompt_timeout
    connection.disconnect()


def _open(connection: BaseConnection, prompt_timeout: float) -> None:
    """Netmiko's own `_open`, minus the graceful disconnect its session preparation does on failure:
    on a device that stopped answering that waits one more full timeout."""
    connection._modify_connection_params()  # a driver's hook (RouterOS adds terminal options to the username)
    no_shell = f"the device stopped answering after login (no shell within {prompt_timeout:g} s)"
    watchdog = _ShellWatchdog(connection, prompt_timeout)
    try:
        connection.establish_connection()
    except Exception as error:
        if watchdog.stop():
            raise Stalled(no_shell) from error
        raise
    if watchdog.stop():
        raise Stalled(no_shell)
    with _waiting(connection, prompt_timeout, "after login"):
        connection.write_channel(
            connection.RETURN
        )  # Netmiko's session preparation needs data to read
        connection.session_preparation()


@contextmanager
def _waiting(connection: BaseConnection, timeout: float, where: str) -> Iterator[None]:
    """Every Netmiko read inside waits at most `timeout`; running out of it means a stalled device."""
    connection.read_timeout_override = timeout
    try:
        yield
    except (ReadTimeout, NetmikoTimeoutException) as error:
        raise Stalled(
            f"the device stopped answering {where} (no prompt within {timeout:g} s)"
        ) from error


class _ShellWatchdog:
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
