"""Pick loopback ports for the embedded servers and refuse ones that are taken."""

import fcntl
import json
import os
import random
import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from netraven_devstack.errors import PortInUseError

LOOPBACK = "127.0.0.1"
EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
RESERVATIONS = Path(tempfile.gettempdir()) / f"netraven-port-reservations-{os.getuid()}.json"
# Long enough for a picked port's server to start and bind; after that the bind itself holds it.
RESERVATION_SECONDS = 120.0
FEWEST_QUIET_PORTS = 500


def free_port() -> int:
    """A port nothing listens on right now, and that no other caller on this machine was handed
    in the last two minutes.

    A port from the kernel's ephemeral range (what binding to port 0 gives) can be taken by any
    outgoing connection between this pick and the server's own bind, so the pick comes from the
    ports above that range, which the kernel never hands out; the reservations file (locked while
    read and written) keeps parallel test suites and stacks from picking the same one.
    """
    quiet = _quiet_ports()
    if len(quiet) < FEWEST_QUIET_PORTS:
        return _port_the_kernel_picks()
    with _reservations() as reserved:
        for port in random.sample(quiet, k=len(quiet)):
            if str(port) not in reserved and port_is_free(port):
                reserved[str(port)] = time.time() + RESERVATION_SECONDS
                return port
    raise PortInUseError(
        f"every port from {quiet[0]} to {quiet[-1]} is in use or reserved in {RESERVATIONS}"
    )


def port_is_free(port: int, host: str = LOOPBACK) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # Servers bind with SO_REUSEADDR; without it here, a restart's TIME_WAIT looks like "taken".
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def ensure_port_free(port: int, service: str) -> None:
    if not port_is_free(port):
        raise PortInUseError(
            f"{service} cannot listen on {LOOPBACK}:{port}: the port is already in use. "
            f"Stop whatever holds it (`ss -ltnp 'sport = :{port}'` shows it) or pick another port."
        )


def _quiet_ports() -> list[int]:
    """The ports above the kernel's ephemeral range (none where the range is unknown)."""
    try:
        _, last_ephemeral = map(int, EPHEMERAL_RANGE.read_text().split())
    except (OSError, ValueError):
        return []
    return list(range(last_ephemeral + 1, 65536))


def _port_the_kernel_picks() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


@contextmanager
def _reservations() -> Iterator[dict[str, float]]:
    """The live reservations (port → expiry), held under an exclusive lock and written back."""
    with open(RESERVATIONS, "a+") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        file.seek(0)
        try:
            stored = json.loads(file.read() or "{}")
        except json.JSONDecodeError:
            stored = {}
        now = time.time()
        live = {port: expiry for port, expiry in stored.items() if expiry > now}
        yield live
        file.seek(0)
        file.truncate()
        file.write(json.dumps(live))
