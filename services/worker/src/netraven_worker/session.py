"""The only module that talks to devices (with connection.py, which checks keys and bounds waits,
and jump_host.py, which tunnels through a bastion): a Netmiko session per device, run in a worker
thread, within the timeouts of timeouts.py. What every collector is given and returns, and the
failures it shares with the other inputs, are in collection.py; the failures only a CLI session
meets are here.

A device is reached over SSH, directly or through its jump host, or over Telnet when it opted in.
Telnet proves nothing about the device and sends the password in clear text: when host-key pinning
is strict it is refused before any connection is made.
"""

from collections.abc import Callable
from typing import Any

from netmiko import BaseConnection
from netmiko.exceptions import (
    NetmikoAuthenticationException,
    NetmikoTimeoutException,
    ReadException,
)
from netmiko.ssh_dispatcher import ssh_dispatcher
from paramiko.ssh_exception import IncompatiblePeer, SSHException

from netraven_worker.collection import (
    AuthenticationFailed,
    Collected,
    DeviceUnreachable,
    HostKeyNotTrusted,
    Login,
    PermanentFailure,
    Target,
    host_key_check,
)
from netraven_worker.connection import HostKeyCheck, Shell, Stalled, open_shell
from netraven_worker.jump_host import Bastion, JumpHost, JumpHostRefused, JumpHostUnreachable
from netraven_worker.login_key import LoggedInWith, logged_in_with
from netraven_worker.outputs import ExtraOutput, run_outputs
from netraven_worker.timeouts import Timeouts
from netraven_worker.unreachable import why_unreachable

# Offered only to devices marked `legacy_ssh`: SHA-1 key exchange, ssh-rsa (SHA-1) host keys and
# signatures, CBC ciphers and SHA-1/MD5 MACs. Everyone else negotiates modern algorithms only.
LEGACY_ALGORITHMS = {
    "kex": [
        "diffie-hellman-group-exchange-sha1",
        "diffie-hellman-group14-sha1",
        "diffie-hellman-group1-sha1",
    ],
    "keys": ["ssh-rsa"],
    "pubkeys": ["ssh-rsa"],
    "ciphers": ["aes128-cbc", "aes192-cbc", "aes256-cbc", "3des-cbc"],
    "macs": ["hmac-sha1", "hmac-md5", "hmac-sha1-96", "hmac-md5-96"],
}


class EnableFailed(PermanentFailure):
    def __init__(self, login: Login, refused_before: list[Login]) -> None:
        message = (
            f"logged in as credential '{login.name}' but enable mode was refused: "
            "check its enable secret"
        )
        super().__init__(message, [*refused_before, login])


class LegacySshRequired(PermanentFailure):
    def __init__(self, target: Target, refused_before: list[Login]) -> None:
        message = (
            f"{target.hostname} ({target.host}:{target.port}) offers only old SSH algorithms "
            "(SHA-1 key exchange, ssh-rsa host keys or CBC ciphers): turn on legacy_ssh for this "
            "device if it cannot be upgraded"
        )
        super().__init__(message, refused_before)


class DeviceStoppedAnswering(PermanentFailure):
    """It let us in, then went quiet: a wedged CLI wants a look at the device, not another
    session."""

    def __init__(self, target: Target, stalled: Stalled, refused_before: list[Login]) -> None:
        message = (
            f"{target.hostname} ({target.host}:{target.port}): {stalled}; not retried: check the "
            "device (console, CPU), or raise its timeout if it is only slow"
        )
        super().__init__(message, refused_before)


class JumpHostFailed(PermanentFailure):
    """The jump host refused: its pinned key, its credential or the forwarding. Nothing reached the
    device."""

    def __init__(self, jump_host: JumpHost, refusal: JumpHostRefused) -> None:
        super().__init__(f"{jump_host}: {refusal}", [])


class TelnetRefused(PermanentFailure):
    """Telnet where it may not go: in strict mode, or through a jump host. No connection was
    made."""

    def __init__(self, target: Target) -> None:
        if target.strict_host_key:
            why = (
                "Telnet is refused in strict mode: it proves nothing about the device and sends "
                "the password in clear text; switch the device to ssh, or pinning to "
                "trust-on-first-use"
            )
        else:
            why = f"Telnet goes direct, not through {target.jump_host}: switch the device to ssh"
        super().__init__(f"{target.hostname} ({target.host}:{target.port}): {why}", [])


def collect_config(target: Target, logins: list[Login], timeouts: Timeouts) -> Collected:
    """Try `logins` in order (`credential_plan` chose them) until one logs in."""
    if target.transport == "telnet" and (target.strict_host_key or target.jump_host):
        raise TelnetRefused(target)
    if target.jump_host is None:
        return _collect(target, logins, timeouts, None)
    try:
        with Bastion(target.jump_host, timeouts.connect) as bastion:
            return _collect(target, logins, timeouts, bastion)
    except JumpHostRefused as error:
        raise JumpHostFailed(target.jump_host, error) from error
    except JumpHostUnreachable as error:
        raise DeviceUnreachable(f"{target.jump_host}: {error}") from error


def _collect(
    target: Target, logins: list[Login], timeouts: Timeouts, bastion: Bastion | None
) -> Collected:
    check = host_key_check(target)
    refused: list[Login] = []
    for login in logins:
        try:
            sock = bastion.channel_to(target.host, target.port) if bastion else None
            raw, outputs, method = _session(target, check, login, timeouts, refused, sock)
        except NetmikoAuthenticationException:
            refused.append(login)
            continue
        # Telnet proves no key: a pin left from SSH days must not be reported as verified.
        proved = check.trusted if target.transport == "ssh" else None
        return Collected(
            raw=raw,
            login=login,
            refused_logins=refused,
            host_key=proved,
            logged_in_with=method,
            outputs=outputs,
        )
    raise AuthenticationFailed(refused)


def _session(
    target: Target,
    check: HostKeyCheck,
    login: Login,
    timeouts: Timeouts,
    refused_before: list[Login],
    sock: Any = None,
) -> tuple[str, list[ExtraOutput], LoggedInWith | None]:
    # The key goes as `pkey` only: Netmiko's `use_keys` means "read a key file" (and ~/.ssh).
    params: dict[str, Any] = {
        "device_type": target.spec.netmiko_device_type,
        "host": target.host,
        "port": target.port,
        "username": login.username,
        "password": login.password,
        "pkey": login.private_key,
        "secret": login.enable_secret or "",
        "conn_timeout": timeouts.connect,
        "auth_timeout": timeouts.connect,
        "banner_timeout": timeouts.connect,
        "disabled_algorithms": None if target.legacy_ssh else LEGACY_ALGORITHMS,
        "sock": sock,
    }
    try:
        with open_shell(_connection_maker(target, check), params, timeouts.connect) as shell:
            method = logged_in_with(getattr(shell.connection, "remote_conn_pre", None))
            if target.spec.needs_enable and login.enable_secret:
                _enter_enable_mode(shell, login, refused_before)
            for command in target.spec.setup_commands:
                shell.send(command, timeouts.connect)
            outputs = [shell.send(c, timeouts.read) for c in target.spec.config_commands]
            extras = run_outputs(shell, target.spec.outputs, timeouts.read)
    except Stalled as error:
        raise DeviceStoppedAnswering(target, error, refused_before) from error
    except NetmikoAuthenticationException:
        raise  # an SSHException too, but the caller tries the next login
    except (
        NetmikoTimeoutException,
        ReadException,
        SSHException,
        ConnectionError,
        OSError,
        EOFError,
    ) as error:
        if refusal := check.refusal(error):
            raise HostKeyNotTrusted(refusal, refused_before) from error
        if isinstance(error.__context__, IncompatiblePeer) and not target.legacy_ssh:
            raise LegacySshRequired(target, refused_before) from error
        raise DeviceUnreachable(
            f"{target.hostname} ({target.host}:{target.port}): {why_unreachable(error, timeouts)}"
        ) from error
    return "\n".join(outputs), extras, method


def _connection_maker(target: Target, check: HostKeyCheck) -> Callable[..., BaseConnection]:
    """SSH sessions check the device's host key; Telnet has none to check."""
    if target.transport == "telnet":
        telnet_type = target.spec.netmiko_telnet_device_type
        if telnet_type is None:
            raise PermanentFailure(
                f"the {target.spec.platform} platform has no Telnet driver: switch the device to "
                "ssh",
                [],
            )
        return lambda **params: ssh_dispatcher(telnet_type)(
            **{**params, "device_type": telnet_type}
        )
    return check.connection


def _enter_enable_mode(shell: Shell, login: Login, refused_before: list[Login]) -> None:
    try:
        shell.enable()
    except ValueError as error:  # Netmiko's way of saying the enable secret was refused
        raise EnableFailed(login, refused_before) from error
