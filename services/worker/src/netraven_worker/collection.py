"""What every collector is given, returns and raises: the Netmiko session (session.py) and the
other inputs (inputs/: PAN-OS's XML API, NETCONF) alike.

A collector gets a `Target` and the `Login`s to try, in the plan's order, and returns a `Collected`,
or raises a `PermanentFailure` (an operator has to act) or `DeviceUnreachable` (worth another try).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal
from uuid import UUID

import paramiko
from netraven_shared.drivers.spec import DriverSpec
from netraven_shared.host_keys import HostKey

from netraven_worker.connection import HostKeyCheck, HostKeyRefused
from netraven_worker.jump_host import JumpHost
from netraven_worker.login_key import LoggedInWith
from netraven_worker.outputs import ExtraOutput
from netraven_worker.timeouts import Timeouts


@dataclass(frozen=True)
class Login:
    """A decrypted credential: a password, a private key, or both (the key is offered first,
    then the password if the device refuses the key)."""

    credential_id: UUID
    name: str
    username: str
    password: str | None = field(repr=False)
    enable_secret: str | None = field(repr=False)
    private_key: paramiko.PKey | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Target:
    hostname: str
    host: str
    port: int
    spec: DriverSpec
    legacy_ssh: bool = False
    pinned_host_key: HostKey | None = None
    strict_host_key: bool = (
        False  # nothing pinned: refuse the device's key instead of trusting it on first use
    )
    transport: Literal["ssh", "telnet"] = "ssh"
    jump_host: JumpHost | None = None  # the bastion SSH sessions are tunnelled through


@dataclass
class Collected:
    raw: str
    login: Login
    refused_logins: list[Login] = field(default_factory=list)
    host_key: HostKey | None = (
        None  # the key the device proved it holds: the pinned one, or trusted on first use
    )
    logged_in_with: LoggedInWith | None = None  # None: paramiko did not say
    outputs: list[ExtraOutput] = field(default_factory=list)  # the driver's extra commands


# What collects a device's config: `inputs.collect_by_input`, or a stand-in the benchmark injects.
Collect = Callable[[Target, list[Login], Timeouts], Collected]


class PermanentFailure(Exception):
    """Retrying will not help: an operator has to fix the credentials or the device."""

    def __init__(self, message: str, refused: list[Login]) -> None:
        super().__init__(message)
        self.refused = refused


class AuthenticationFailed(PermanentFailure):
    def __init__(self, refused: list[Login]) -> None:
        names = ", ".join(login.name for login in refused) or "none configured"
        super().__init__(f"authentication failed with every credential (tried: {names})", refused)


class HostKeyNotTrusted(PermanentFailure):
    """The device offered another key than the pinned one, nothing is pinned and pinning is strict,
    or the pinned key cannot be checked: no password was sent."""

    def __init__(self, refusal: HostKeyRefused, refused_before: list[Login]) -> None:
        super().__init__(str(refusal), refused_before)
        self.offered = refusal.offered


class DeviceUnreachable(Exception):
    """Timeouts, refused or reset connections: worth another try later."""


def host_key_check(target: Target) -> HostKeyCheck:
    """The device's host-key check for one session; `HostKeyNotTrusted` for a pin that cannot be
    checked."""
    try:
        return HostKeyCheck(
            target.hostname,
            target.host,
            target.port,
            target.pinned_host_key,
            target.strict_host_key,
        )
    except HostKeyRefused as refusal:
        raise HostKeyNotTrusted(refusal, []) from refusal
