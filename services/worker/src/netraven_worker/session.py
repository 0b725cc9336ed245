"""The only module that talks SSH: a Netmiko session per device, run in a worker thread."""

from dataclasses import dataclass, field
from uuid import UUID

from netmiko import ConnectHandler
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout

from netraven_worker.drivers.spec import DriverSpec


@dataclass(frozen=True)
class Login:
    credential_id: UUID
    name: str
    username: str
    password: str
    enable_secret: str | None


@dataclass(frozen=True)
class Target:
    hostname: str
    host: str
    port: int
    spec: DriverSpec


@dataclass(frozen=True)
class Timeouts:
    connect: float
    read: float


@dataclass
class Collected:
    raw: str
    login: Login
    refused_logins: list[Login] = field(default_factory=list)


class PermanentFailure(Exception):
    """Retrying will not help: an operator has to fix the credentials or the device."""

    def __init__(self, message: str, refused: list[Login]) -> None:
        super().__init__(message)
        self.refused = refused


class AuthenticationFailed(PermanentFailure):
    def __init__(self, refused: list[Login]) -> None:
        names = ", ".join(login.name for login in refused) or "none configured"
        super().__init__(f"authentication failed with every credential (tried: {names})", refused)


class EnableFailed(PermanentFailure):
    def __init__(self, login: Login, refused_before: list[Login]) -> None:
        message = f"logged in as credential '{login.name}' but enable mode was refused: check its enable secret"
        super().__init__(message, [*refused_before, login])


class DeviceUnreachable(Exception):
    """Timeouts, refused or reset connections: worth another try later."""


def collect_config(target: Target, logins: list[Login], timeouts: Timeouts) -> Collected:
    refused: list[Login] = []
    for login in logins:
        try:
            raw = _session(target, login, timeouts, refused)
        except NetmikoAuthenticationException:
            refused.append(login)
            continue
        return Collected(raw=raw, login=login, refused_logins=refused)
    raise AuthenticationFailed(refused)


def _session(target: Target, login: Login, timeouts: Timeouts, refused_before: list[Login]) -> str:
    params = {
        "device_type": target.spec.netmiko_device_type,
        "host": target.host,
        "port": target.port,
        "username": login.username,
        "password": login.password,
        "secret": login.enable_secret or "",
        "conn_timeout": timeouts.connect,
        "auth_timeout": timeouts.connect,
        "banner_timeout": timeouts.connect,
        "read_timeout_override": timeouts.read,
    }
    try:
        with ConnectHandler(**params) as connection:
            if target.spec.needs_enable and login.enable_secret:
                _enter_enable_mode(connection, login, refused_before)
            for command in target.spec.setup_commands:
                connection.send_command(command)
            outputs = [connection.send_command(c, read_timeout=timeouts.read) for c in target.spec.config_commands]
    except (NetmikoTimeoutException, ReadTimeout, ConnectionError, OSError, EOFError) as error:
        raise DeviceUnreachable(f"{target.hostname} ({target.host}:{target.port}): {error}") from error
    return "\n".join(outputs)


def _enter_enable_mode(connection, login: Login, refused_before: list[Login]) -> None:
    try:
        connection.enable()
    except ValueError as error:  # Netmiko's way of saying the enable secret was refused
        raise EnableFailed(login, refused_before) from error
