"""The reachability probe: a timed TCP connect to the SSH port, no login."""

import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from netraven_lab.lab import Lab
from netraven_worker.reachability import probe


class TestProbe:
    async def test_a_listening_device_is_reachable_with_its_latency(self, lab: Lab) -> None:
        result = await probe("127.0.0.1", lab.profiles[0].port, timeout=5)
        assert result.reachable
        assert result.latency_ms is not None and 0 < result.latency_ms < 5000
        assert result.error is None

    async def test_a_closed_port_is_unreachable_because_the_connection_is_refused(
        self, closed_port: int
    ) -> None:
        result = await probe("127.0.0.1", closed_port, timeout=5)
        assert (result.reachable, result.latency_ms, result.error) == (
            False,
            None,
            "connection refused",
        )

    async def test_a_port_that_never_completes_the_handshake_gives_up_at_the_timeout(self) -> None:
        with full_backlog() as port:
            started = time.monotonic()
            result = await probe("127.0.0.1", port, timeout=1)
            elapsed = time.monotonic() - started
        assert (result.reachable, result.error) == (False, "no answer within 1 s")
        assert 0.9 <= elapsed < 3


@contextmanager
def full_backlog() -> Iterator[int]:
    """A listener that never accepts, its backlog already full: the kernel drops further SYNs."""
    with socket.socket() as listener, ExitStack() as waiting:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        for _ in range(3):
            client = waiting.enter_context(socket.socket())
            client.setblocking(False)
            client.connect_ex(("127.0.0.1", port))
        yield port
