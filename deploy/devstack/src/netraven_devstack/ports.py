"""Pick loopback ports for the embedded servers and refuse ones that are taken."""

import socket

from netraven_devstack.errors import PortInUseError

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A port nothing listens on right now; the OS picks it, so parallel callers do not collide."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


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
