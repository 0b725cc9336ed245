import socket
from pathlib import Path

import httpx
import nats
import pytest
from netraven_devstack import EmbeddedNats, PortInUseError, free_port

STREAM = "DEVSTACK"


async def publish(url: str, payload: bytes) -> int:
    client = await nats.connect(url)
    try:
        jetstream = client.jetstream()
        await jetstream.add_stream(name=STREAM, subjects=["devstack.>"])
        ack = await jetstream.publish("devstack.hello", payload)
        return ack.seq
    finally:
        await client.close()


async def read(url: str, sequence: int) -> bytes:
    client = await nats.connect(url)
    try:
        message = await client.jetstream().get_msg(STREAM, sequence)
        return message.data
    finally:
        await client.close()


class TestJetStream:
    async def test_publishes_and_reads_back(self, tmp_path: Path) -> None:
        with EmbeddedNats(tmp_path / "nats", free_port()) as server:
            sequence = await publish(server.url, b"hello")
            assert await read(server.url, sequence) == b"hello"

    async def test_messages_survive_a_restart_on_the_same_store_dir(self, tmp_path: Path) -> None:
        port = free_port()
        with EmbeddedNats(tmp_path / "nats", port) as server:
            sequence = await publish(server.url, b"kept")
        with EmbeddedNats(tmp_path / "nats", port) as server:
            assert await read(server.url, sequence) == b"kept"


class TestListening:
    def test_client_and_monitor_ports_are_loopback_only(self, tmp_path: Path) -> None:
        with EmbeddedNats(tmp_path / "nats", free_port()) as server:
            varz = httpx.get(f"http://127.0.0.1:{server.monitor_port}/varz").json()
        assert (varz["host"], varz["port"]) == ("127.0.0.1", server.port)
        assert varz["http_host"] == "127.0.0.1"

    def test_log_goes_beside_the_store_dir(self, tmp_path: Path) -> None:
        with EmbeddedNats(tmp_path / "nats", free_port()):
            pass
        assert "Server is ready" in (tmp_path / "nats.log").read_text()

    def test_refuses_a_taken_port_before_spawning(
        self, tmp_path: Path, listener: socket.socket
    ) -> None:
        port = listener.getsockname()[1]
        with pytest.raises(PortInUseError, match=str(port)):
            EmbeddedNats(tmp_path / "nats", port).start()
        assert not (tmp_path / "nats.log").exists()


class TestLeftoverServer:
    def test_a_server_whose_owner_vanished_is_replaced(self, tmp_path: Path) -> None:
        port = free_port()
        with (
            EmbeddedNats(tmp_path / "nats", port) as abandoned,
            EmbeddedNats(tmp_path / "nats", port) as successor,
        ):
            assert successor.running
            assert not abandoned.running
