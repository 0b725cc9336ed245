import socket

import pytest
from netraven_devstack import PortInUseError, ensure_port_free, free_port, port_is_free
from netraven_devstack.ports import EPHEMERAL_RANGE


class TestFreePort:
    def test_gives_a_port_nothing_listens_on(self) -> None:
        assert port_is_free(free_port())


class TestTakenPort:
    def test_is_not_free(self, listener: socket.socket) -> None:
        assert not port_is_free(listener.getsockname()[1])

    def test_is_refused_with_the_port_and_service_named(self, listener: socket.socket) -> None:
        port = listener.getsockname()[1]
        with pytest.raises(PortInUseError, match=f"PostgreSQL cannot listen on 127.0.0.1:{port}"):
            ensure_port_free(port, "PostgreSQL")


class TestPortsHandedOut:
    def test_come_from_above_the_kernels_ephemeral_range(self) -> None:
        _, last_ephemeral = map(int, EPHEMERAL_RANGE.read_text().split())
        assert all(free_port() > last_ephemeral for _ in range(20))

    def test_are_not_handed_out_twice_while_reserved(self) -> None:
        ports = [free_port() for _ in range(200)]
        assert len(set(ports)) == len(ports)
