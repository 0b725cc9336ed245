"""Sessions tunnelled through an SSH jump host (bastion): the only module that talks to one.

A device behind a bastion is reached over a `direct-tcpip` channel the bastion opens to the
device's address and port; the channel is handed to Netmiko as its socket (`sock=`), so the
device's own session, host-key check included (connection.py), runs end to end inside it, and the
bastion sees only ciphertext.

Before its credential is sent, the bastion must prove it holds the key an admin pinned for it (a
jump host is never trusted on first use): paramiko's key exchange checks the bastion's signature
with the key it offers, and that key must be the pinned one, or the connection is closed with
nothing sent. Each failure at the bastion names the bastion, not the device, so an operator does
not chase the device:

    jump host 'bastion-1' (10.0.0.5:22): authentication failed with credential 'ops'
    jump host 'bastion-1' (10.0.0.5:22): host key does not match its pin (...)
    jump host 'bastion-1' (10.0.0.5:22): unreachable: connection refused
    jump host 'bastion-1' (10.0.0.5:22): refused to forward to 10.1.2.3:22 (administratively
    prohibited)

One `Bastion` carries every login attempt of one session: each gets a fresh channel.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Self

import paramiko
from netraven_shared.host_keys import HostKey

from netraven_worker.connection import HostKeyCheck, HostKeyRefused

if TYPE_CHECKING:
    from netraven_worker.collection import Login

# RFC 4254 section 7.2: why a server refused to open a channel.
_OPEN_FAILURES = {
    paramiko.common.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED: "administratively prohibited",
    paramiko.common.OPEN_FAILED_CONNECT_FAILED: "connect failed",
    paramiko.common.OPEN_FAILED_UNKNOWN_CHANNEL_TYPE: "unknown channel type",
    paramiko.common.OPEN_FAILED_RESOURCE_SHORTAGE: "resource shortage",
}


@dataclass(frozen=True)
class JumpHost:
    name: str
    address: str
    port: int
    pinned_host_key: HostKey
    login: Login

    def __str__(self) -> str:
        return f"jump host '{self.name}' ({self.address}:{self.port})"


class JumpHostRefused(Exception):
    """The bastion's key, its credential or its forwarding failed: retrying will not help, an
    operator must fix the jump host. The message leaves out which jump host: the session names
    it."""


class JumpHostUnreachable(Exception):
    """The bastion, or the device behind it, did not answer: worth another try later."""


class Bastion:
    """An authenticated SSH transport to a jump host, opening channels to devices behind it."""

    def __init__(self, jump_host: JumpHost, timeout: float) -> None:
        self._jump_host = jump_host
        self._timeout = timeout
        self._transport = _connected(jump_host, timeout)
        try:
            _check_pin(self._transport, jump_host)
            authenticate(self._transport, jump_host.login, timeout)
        except BaseException:
            self._transport.close()
            raise

    def channel_to(self, host: str, port: int) -> paramiko.Channel:
        """A `direct-tcpip` channel to `host:port`, as the bastion connects to it."""
        try:
            return self._transport.open_channel(
                "direct-tcpip", (host, port), ("127.0.0.1", 0), timeout=self._timeout
            )
        except paramiko.ChannelException as error:
            reason = _OPEN_FAILURES.get(error.code, error.text or f"code {error.code}")
            if error.code == paramiko.common.OPEN_FAILED_CONNECT_FAILED:
                raise JumpHostUnreachable(f"could not reach {host}:{port} ({reason})") from error
            raise JumpHostRefused(f"refused to forward to {host}:{port} ({reason})") from error
        except (paramiko.SSHException, OSError, EOFError) as error:
            raise JumpHostUnreachable(
                f"no channel to {host}:{port} within {self._timeout:g} s ({_why(error)})"
            ) from error

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def authenticate(transport: paramiko.Transport, login: Login, timeout: float) -> None:
    """Log in to the bastion as `login`: the one place that knows how a jump host authenticates.
    The credential's private key first when it has one, then its password (which paramiko also
    answers to a keyboard-interactive prompt when the server allows only that). Raises
    `JumpHostRefused` when the bastion says no to every secret the credential holds."""
    transport.auth_timeout = timeout
    key, password = login.private_key, login.password
    offers: list[Callable[[], object]] = []
    if key is not None:
        offers.append(lambda: transport.auth_publickey(login.username, key))
    if password is not None:
        offers.append(lambda: transport.auth_password(login.username, password))
    for offer in offers:
        try:
            offer()
            return
        except paramiko.AuthenticationException:
            continue
        except (paramiko.SSHException, OSError, EOFError) as error:
            why = _why(error)
            raise JumpHostUnreachable(f"closed the connection during login ({why})") from error
    raise JumpHostRefused(f"authentication failed with credential '{login.name}'")


def _connected(jump_host: JumpHost, timeout: float) -> paramiko.Transport:
    """The transport after key exchange: the bastion proved it holds the key it offers."""
    check = _pin_check(jump_host)
    try:
        sock = socket.create_connection((jump_host.address, jump_host.port), timeout=timeout)
    except TimeoutError as error:
        raise JumpHostUnreachable(f"unreachable: no TCP answer within {timeout:g} s") from error
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise JumpHostUnreachable(f"unreachable: {reason}") from error
    transport = check.transport(sock)
    transport.banner_timeout = timeout
    try:
        transport.start_client(timeout=timeout)
    except (paramiko.SSHException, OSError, EOFError) as error:
        transport.close()
        raise JumpHostUnreachable(
            f"unreachable: no SSH session within {timeout:g} s ({_why(error)})"
        ) from error
    return transport


def _pin_check(jump_host: JumpHost) -> HostKeyCheck:
    """The device check's key handling, reused: it asks for the pinned key's type first and
    refuses a pin paramiko cannot check."""
    try:
        return HostKeyCheck(
            jump_host.name, jump_host.address, jump_host.port, jump_host.pinned_host_key, True
        )
    except HostKeyRefused as error:
        raise JumpHostRefused(str(error)) from error


def _check_pin(transport: paramiko.Transport, jump_host: JumpHost) -> None:
    offered = transport.get_remote_server_key()
    pinned = jump_host.pinned_host_key
    if offered.get_base64() != pinned.public_key:
        now = HostKey(key_type=offered.get_name(), public_key=offered.get_base64())
        raise JumpHostRefused(
            f"host key does not match its pin (pinned {pinned.fingerprint}, "
            f"offered {now.fingerprint}): nothing was sent; an admin must check the bastion "
            "and pin its key again"
        )


def _why(error: BaseException) -> str:
    return str(error) or type(error).__name__
