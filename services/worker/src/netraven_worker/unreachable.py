"""Why a CLI session could not reach its device, in one line: Netmiko wraps socket errors in a
paragraph of advice, and an operator wants the cause and what to check."""

from netmiko.exceptions import ReadException
from paramiko.ssh_exception import NoValidConnectionsError

from netraven_worker.timeouts import Timeouts


def why_unreachable(error: Exception, timeouts: Timeouts) -> str:
    """What went wrong in one line: Netmiko wraps socket errors in a paragraph of advice."""
    cause = error.__context__ or error
    if isinstance(cause, NoValidConnectionsError) and cause.errors:
        cause = next(iter(cause.errors.values()))  # one per address tried; a device has one
    if isinstance(cause, ConnectionRefusedError):
        return "connection refused: is SSH (or Telnet, for a Telnet device) enabled on this port?"
    if isinstance(cause, TimeoutError):
        return f"no TCP answer within {timeouts.connect:g} s (connect timeout)"
    if isinstance(cause, ReadException) and "closed" in str(cause):
        return "the device closed the connection in the middle of the session"
    if isinstance(cause, EOFError) or isinstance(cause.__context__, EOFError):
        return (
            "the device closed the connection before the CLI session started: "
            "is this port its SSH server?"
        )
    if any(sign in str(cause) for sign in ("protocol banner", "No existing session")):
        return f"the SSH server did not answer within {timeouts.connect:g} s (no SSH banner)"
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__
