"""A device's address as its session reaches it. A device may be given by DNS name: the name is
resolved at each session, within the connect timeout, and the session connects to the address it
resolved to. The management-networks check tests that address, not the name, and the run records
it (`resolved_address`). Host keys stay pinned to the device, whatever its name resolves to.
"""

import asyncio
import ipaddress
import socket


class CannotResolve(Exception):
    """The name did not resolve (yet): worth another try, like a device that did not answer."""


def is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


async def resolve(host: str, timeout: float) -> str:
    """The address to connect to: `host` itself when it is one, else the first address the
    system's resolver gives for the name (in its order of preference)."""
    if is_ip_address(host):
        return host
    try:
        async with asyncio.timeout(timeout):
            answers = await asyncio.get_running_loop().getaddrinfo(
                host, None, type=socket.SOCK_STREAM
            )
    except TimeoutError:
        raise CannotResolve(f"cannot resolve {host}: no answer within {timeout:g} s") from None
    except OSError as error:  # socket.gaierror
        reason = error.strerror or str(error)
        raise CannotResolve(f"cannot resolve {host}: {reason}") from None
    if not answers:
        raise CannotResolve(f"cannot resolve {host}: no address")
    address = str(answers[0][4][0])
    return address.partition("%")[0]  # an IPv6 scope would not fit the run's record


async def resolved_or_why(host: str, timeout: float) -> str | CannotResolve:
    """`resolve`, with its failure as a value: a backup reports it like an unreachable device."""
    try:
        return await resolve(host, timeout)
    except CannotResolve as error:
        return error


def resolved_by_name(given: str, address: str | CannotResolve) -> str | None:
    """The address to record for a device `given` by DNS name: the one it resolved to."""
    return address if isinstance(address, str) and address != given else None
