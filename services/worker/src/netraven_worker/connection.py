"""The Netmiko connection a session runs on: the device's host key checked before any password
is sent, and every wait for the device bounded.

**The host key.** Netmiko connects through a paramiko `SSHClient`. `HostKeyCheck.connection`
builds the platform's Netmiko connection with a client that holds the pinned key: paramiko
compares it with the key the device proves it owns, right after key exchange and before
authentication, and refuses a mismatch (`BadHostKeyException`). With nothing pinned, the check's
policy sees the key first: it trusts it on first use, or refuses it when pinning is strict. A key
trusted on first use is pinned in this check too, so a second login of the same session meets the
same device. Devices hold several host keys (RSA, ECDSA, Ed25519) and a session negotiates one of
them: the client asks for the pinned key's algorithms first, or a device that kept its keys would
look changed.

**A device that stops answering** ends the session within its own timeouts, with an operator's
reason. Left to itself, Netmiko waits long for a device that logged us in and then went quiet:
every wait of its session preparation takes the whole read timeout, the graceful disconnect after
a failure waits that long once more, and Paramiko gives a shell an hour to open. Here every phase
has its bound (docs/device-trust.md, "Timeouts"):

- opening the shell after login: the connect timeout, from the moment login succeeded (a watchdog
  closes the transport: Paramiko's own wait for a channel is an hour, for the shell unbounded);
- the first prompt, session preparation, enable and the driver's setup commands: the connect
  timeout for each wait;
- each collect command: the read timeout;
- after a failure: a short goodbye instead of a second full wait.
"""

import base64
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import paramiko
from netmiko import BaseConnection
from netmiko.exceptions import NetmikoTimeoutException, ReadTimeout
from netmiko.ssh_dispatcher import ssh_dispatcher
from netraven_shared.host_keys import HostKey, known_hosts_name
from paramiko.pkey import UnknownKeyType

from netraven_worker.shell_watchdog import ShellWatchdog

# The signature algorithms a key type is negotiated as: an RSA key signs with SHA-2 unless legacy.
_ALGORITHMS = {"ssh-rsa": ("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa")}


class HostKeyRefused(paramiko.SSHException):
    """The device's key is not trusted: no password was sent. (An `SSHException`, so Netmiko
    closes the half-open connection before it wraps the error.)"""

    def __init__(self, message: str, offered: HostKey | None) -> None:
        super().__init__(message)
        self.offered = offered


class HostKeyCheck:
    """One device's host-key check, for every login of one session. Raises `HostKeyRefused` at once
    for a pinned key paramiko cannot check (a type it does not support, such as ssh-dss)."""

    def __init__(
        self, hostname: str, host: str, port: int, pinned: HostKey | None, strict: bool
    ) -> None:
        self._hostname = hostname
        self._known_as = known_hosts_name(host, port)
        self._strict = strict
        self.trusted: HostKey | None = pinned  # the key the device proved it holds, once it did
        self._trusted_key = _paramiko_key(hostname, pinned) if pinned else None

    def connection(self, **params: Any) -> BaseConnection:
        """The platform's Netmiko connection, checked; like `ConnectHandler`, it connects at once
        unless `auto_connect=False`."""
        return _checked(params["device_type"])(**params, host_key_check=self)

    def refusal(self, error: BaseException) -> HostKeyRefused | None:
        """Why the device's key was refused, if that is what stopped `connect` (Netmiko wraps
        it)."""
        cause: BaseException | None = error
        while cause is not None:
            if isinstance(cause, HostKeyRefused):
                return cause
            if isinstance(cause, paramiko.BadHostKeyException):
                was, now = _host_key(cause.expected_key), _host_key(cause.key)
                message = (
                    f"host key changed: was {was.fingerprint}, now "
                    f"{now.fingerprint}; an admin must accept the new key"
                )
                return HostKeyRefused(message, now)
            cause = cause.__cause__ or cause.__context__
        return None

    def prepared(self, client: paramiko.SSHClient) -> paramiko.SSHClient:
        if self.trusted is not None and self._trusted_key is not None:
            client.get_host_keys().add(self._known_as, self.trusted.key_type, self._trusted_key)
        client.set_missing_host_key_policy(_NothingPinned(self))
        return client

    def transport(self, sock: Any, **options: Any) -> paramiko.Transport:
        transport = paramiko.Transport(sock, **options)
        if self.trusted is not None:
            security = transport.get_security_options()
            wanted = [
                name
                for name in _ALGORITHMS.get(self.trusted.key_type, (self.trusted.key_type,))
                if name in security.key_types
            ]
            security.key_types = [
                *wanted,
                *(name for name in security.key_types if name not in wanted),
            ]
        return transport

    def known_hosts(self) -> paramiko.HostKeys:
        """The trusted key as known_hosts entries, for a client that is not Netmiko's (NETCONF)."""
        keys = paramiko.HostKeys()
        if self.trusted is not None and self._trusted_key is not None:
            keys.add(self._known_as, self.trusted.key_type, self._trusted_key)
        return keys

    def not_known(self, key: paramiko.PKey) -> None:
        """A key the device proved it holds that `known_hosts` does not hold: a change when a key
        is trusted, else a first sight."""
        if self.trusted is None:
            return self.first_seen(key)
        offered = _host_key(key)
        raise HostKeyRefused(
            f"host key changed: was {self.trusted.fingerprint}, now {offered.fingerprint}; "
            "an admin must accept the new key",
            offered,
        )

    def first_seen(self, key: paramiko.PKey) -> None:
        offered = _host_key(key)
        if self._strict:
            raise HostKeyRefused(
                f"no host key pinned for {self._hostname} and pinning is strict: "
                f"an admin must accept {offered.fingerprint} or pre-load the key",
                offered,
            )
        self.trusted, self._trusted_key = offered, key


class _NothingPinned(paramiko.MissingHostKeyPolicy):
    def __init__(self, check: HostKeyCheck) -> None:
        self._check = check

    def missing_host_key(
        self, client: paramiko.SSHClient, hostname: str, key: paramiko.PKey
    ) -> None:
        self._check.first_seen(key)


class _ChecksHostKey:
    """Mixed into a platform's Netmiko class: its paramiko client and transport are the check's."""

    def __init__(self, *args: Any, host_key_check: HostKeyCheck, **kwargs: Any) -> None:
        self._host_key_check = host_key_check
        super().__init__(*args, **kwargs)

    def _build_ssh_client(self) -> paramiko.SSHClient:
        # A mixin: the Netmiko class after it in the method order has these methods.
        return self._host_key_check.prepared(super()._build_ssh_client())  # type: ignore[misc]

    def _connect_params_dict(self) -> dict[str, Any]:
        params = super()._connect_params_dict()  # type: ignore[misc]
        return {
            **params,
            "transport_factory": self._host_key_check.transport,
            # Only the credential's own secrets: no key file, no ~/.ssh, no agent of the worker's
            # user, and no empty password (Netmiko's stand-in for none) for a key-only login.
            "look_for_keys": False,
            "allow_agent": False,
            "key_filename": None,
            "password": params["password"] or None,
        }


@functools.cache
def _checked(device_type: str) -> Callable[..., BaseConnection]:
    platform = ssh_dispatcher(device_type)
    return type(f"Checked{platform.__name__}", (_ChecksHostKey, platform), {})


def _paramiko_key(hostname: str, key: HostKey) -> paramiko.PKey:
    try:
        return paramiko.PKey.from_type_string(key.key_type, base64.b64decode(key.public_key))
    except (UnknownKeyType, paramiko.SSHException, ValueError) as error:
        message = (
            f"the host key pinned for {hostname} ({key.key_type} {key.fingerprint}) cannot be "
            "checked: an admin must pin another of the device's keys (ssh-ed25519, "
            "ecdsa-sha2-nistp256/384/521 or ssh-rsa)"
        )
        raise HostKeyRefused(message, offered=None) from error


def _host_key(key: paramiko.PKey) -> HostKey:
    return HostKey(key_type=key.get_name(), public_key=key.get_base64())


# How long a failed session waits for the device's reply to its polite "exit".
GOODBYE_SECONDS = 0.5


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
    """Log in with a connection from `new_connection` (Netmiko's `ConnectHandler` or one like
    it) and prepare the session; close it gracefully after success, briefly after any failure."""
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
    # A driver's hook (RouterOS adds terminal options to the username).
    connection._modify_connection_params()
    no_shell = f"the device stopped answering after login (no shell within {prompt_timeout:g} s)"
    watchdog = ShellWatchdog(connection, prompt_timeout)
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
    """Every Netmiko read inside waits at most `timeout`; running out of it means a stalled
    device."""
    connection.read_timeout_override = timeout
    try:
        yield
    except (ReadTimeout, NetmikoTimeoutException) as error:
        raise Stalled(
            f"the device stopped answering {where} (no prompt within {timeout:g} s)"
        ) from error
