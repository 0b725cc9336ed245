"""The device's SSH host key, checked before any password is sent.

Netmiko connects through a paramiko `SSHClient`. `HostKeyCheck.connection` builds the platform's Netmiko
connection with a client that holds the pinned key: paramiko compares it with the key the device
proves it owns, right after key exchange and before authentication, and refuses a mismatch
(`BadHostKeyException`). With nothing pinned, the check's policy sees the key first: it trusts it on
first use, or refuses it when pinning is strict. A key trusted on first use is pinned in this
check too, so a second login of the same session meets the same device.

Devices hold several host keys (RSA, ECDSA, Ed25519) and a session negotiates one of them: the
client asks for the pinned key's algorithms first, or a device that kept its keys would look changed.
"""

import base64
import functools
from collections.abc import Callable
from typing import Any

import paramiko
from netmiko import BaseConnection
from netmiko.ssh_dispatcher import ssh_dispatcher
from netraven_shared.host_keys import HostKey, known_hosts_name
from paramiko.pkey import UnknownKeyType

# The signature algorithms a key type is negotiated as: an RSA key signs with SHA-2 unless legacy.
_ALGORITHMS = {"ssh-rsa": ("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa")}


class HostKeyRefused(paramiko.SSHException):
    """The device's key is not trusted: no password was sent. (An `SSHException`, so Netmiko closes the
    half-open connection before it wraps the error.)"""

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
        """Why the device's key was refused, if that is what stopped `connect` (Netmiko wraps it)."""
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
        transport = {"transport_factory": self._host_key_check.transport}
        return {**super()._connect_params_dict(), **transport}  # type: ignore[misc]


@functools.cache
def _checked(device_type: str) -> Callable[..., BaseConnection]:
    platform = ssh_dispatcher(device_type)
    return type(f"Checked{platform.__name__}", (_ChecksHostKey, platform), {})


def _paramiko_key(hostname: str, key: HostKey) -> paramiko.PKey:
    try:
        return paramiko.PKey.from_type_string(key.key_type, base64.b64decode(key.public_key))
    except (UnknownKeyType, paramiko.SSHException, ValueError) as error:
        message = (
            f"the host key pinned for {hostname} ({key.key_type} {key.fingerprint}) cannot be checked: "
            "an admin must pin another of the device's keys (ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa)"
        )
        raise HostKeyRefused(message, offered=None) from error


def _host_key(key: paramiko.PKey) -> HostKey:
    return HostKey(key_type=key.get_name(), public_key=key.get_base64())
