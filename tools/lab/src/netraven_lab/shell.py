"""The IOS exec CLI as a pure state machine: a mode and a typed line in, a reply and a mode out."""

from dataclasses import dataclass
from enum import Enum

from netraven_lab import show_output
from netraven_lab.commands import (
    PRIVILEGED_EXEC,
    USER_EXEC,
    Action,
    AmbiguousCommand,
    IncompleteCommand,
    InvalidInput,
    parse,
)
from netraven_lab.profiles import DeviceProfile


class Mode(Enum):
    USER_EXEC = "user-exec"
    PRIVILEGED_EXEC = "privileged-exec"
    ENABLE_PASSWORD = "enable-password"  # "enable" asked for the secret; the next line is it

    @property
    def echoes(self) -> bool:
        return self is not Mode.ENABLE_PASSWORD


@dataclass(frozen=True)
class Reply:
    text: str  # everything printed after the typed line, up to and including the next prompt
    mode: Mode
    closed: bool = False


def prompt(hostname: str, mode: Mode) -> str:
    if mode is Mode.ENABLE_PASSWORD:
        return "Password: "
    return hostname + ("#" if mode is Mode.PRIVILEGED_EXEC else ">")


def greeting(hostname: str) -> str:
    return "\r\n" + prompt(hostname, Mode.USER_EXEC)


def respond(device: DeviceProfile, mode: Mode, line: str, uptime_seconds: float) -> Reply:
    if mode is Mode.ENABLE_PASSWORD:
        if line == device.enable_secret:
            return _reply(device, "", Mode.PRIVILEGED_EXEC)
        return _reply(device, "% Access denied", Mode.USER_EXEC)
    if not line.strip():
        return _reply(device, "", mode)
    result = parse(line, PRIVILEGED_EXEC if mode is Mode.PRIVILEGED_EXEC else USER_EXEC)
    if isinstance(result, InvalidInput):
        caret = " " * (len(prompt(device.hostname, mode)) + result.column) + "^"
        return _reply(device, f"{caret}\n% Invalid input detected at '^' marker.", mode)
    if isinstance(result, AmbiguousCommand):
        return _reply(device, f'% Ambiguous command:  "{line.strip()}"', mode)
    if isinstance(result, IncompleteCommand):
        return _reply(device, "% Incomplete command.", mode)
    return _run(device, mode, result, uptime_seconds)


def _run(device: DeviceProfile, mode: Mode, action: Action, uptime_seconds: float) -> Reply:
    match action:
        case Action.ENABLE:
            return _reply(device, "", Mode.ENABLE_PASSWORD if mode is Mode.USER_EXEC else mode)
        case Action.TERMINAL:
            return _reply(device, "", mode)
        case Action.DISABLE:
            return _reply(device, "", Mode.USER_EXEC)
        case Action.EXIT:
            return Reply(text="", mode=mode, closed=True)
        case Action.SHOW_RUNNING_CONFIG:
            return _reply(device, show_output.running_config(device.config_text), mode)
        case Action.SHOW_VERSION:
            return _reply(device, show_output.version(device.hostname, uptime_seconds), mode)
        case Action.SHOW_INVENTORY:
            return _reply(device, show_output.inventory(device.hostname), mode)


def _reply(device: DeviceProfile, output: str, mode: Mode) -> Reply:
    """Output (if any) and a blank line before the prompt, with IOS's CRLF line ends."""
    body = output.replace("\n", "\r\n") + "\r\n\r\n" if output else ""
    return Reply(text=body + prompt(device.hostname, mode), mode=mode)
