import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from netraven_devstack import EmbeddedPostgres, PortInUseError, free_port

UNIX_SOCKET_PATH_LIMIT = 107


async def fetch(pg: EmbeddedPostgres, database: str, query: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(pg.dsn_for(database))
    try:
        return await connection.fetch(query)
    finally:
        await connection.close()


async def store_a_row(pg: EmbeddedPostgres) -> None:
    pg.ensure_database("netraven_test")
    connection = await asyncpg.connect(pg.dsn_for("netraven_test"))
    try:
        await connection.execute("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('x')")
    finally:
        await connection.close()


async def stored_rows(pg: EmbeddedPostgres) -> list[str]:
    return [row["note"] for row in await fetch(pg, "netraven_test", "SELECT note FROM kept")]


def postmaster_pid(pg: EmbeddedPostgres) -> int:
    return int((pg.data_dir / "postmaster.pid").read_text().split("\n", 1)[0])


@pytest.fixture
def unrelated_process() -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(["sleep", "30"])
    yield process
    process.kill()
    process.wait()


class TestFirstStart:
    async def test_initialises_the_cluster_as_the_netraven_user(self, tmp_path: Path) -> None:
        with EmbeddedPostgres(tmp_path / "fresh", free_port(), fast=True) as pg:
            rows = await fetch(pg, "netraven", "SELECT current_user AS who")
        assert rows[0]["who"] == "netraven"
        assert (tmp_path / "fresh" / "PG_VERSION").is_file()
        assert "database system is ready" in (tmp_path / "fresh.log").read_text()


class TestRunningServer:
    async def test_creates_a_database_once(self, running_postgres: EmbeddedPostgres) -> None:
        assert running_postgres.ensure_database("created_once") is True
        assert running_postgres.ensure_database("created_once") is False
        assert await fetch(running_postgres, "created_once", "SELECT 1")

    def test_default_database_is_at_the_sqlalchemy_url(
        self, running_postgres: EmbeddedPostgres
    ) -> None:
        port = running_postgres.port
        assert running_postgres.url == f"postgresql+asyncpg://netraven@127.0.0.1:{port}/netraven"

    async def test_listens_on_loopback_only(self, running_postgres: EmbeddedPostgres) -> None:
        rows = await fetch(running_postgres, "postgres", "SHOW listen_addresses")
        assert rows[0]["listen_addresses"] == "127.0.0.1"

    def test_unix_socket_sits_in_a_short_private_dir(
        self, running_postgres: EmbeddedPostgres
    ) -> None:
        socket_path = running_postgres.socket_dir / f".s.PGSQL.{running_postgres.port}"
        assert socket_path.is_socket() and len(str(socket_path)) < UNIX_SOCKET_PATH_LIMIT
        assert running_postgres.socket_dir.stat().st_mode & 0o077 == 0

    async def test_fast_mode_turns_fsync_off(self, running_postgres: EmbeddedPostgres) -> None:
        rows = await fetch(running_postgres, "postgres", "SHOW fsync")
        assert rows[0]["fsync"] == "off"


class TestStartAndStop:
    async def test_data_survives_a_restart(self, data_dir: Path) -> None:
        port = free_port()
        with EmbeddedPostgres(data_dir, port, fast=True) as pg:
            await store_a_row(pg)
        with EmbeddedPostgres(data_dir, port, fast=True) as pg:
            assert await stored_rows(pg) == ["x"]

    def test_stop_removes_the_socket_dir(self, data_dir: Path) -> None:
        with EmbeddedPostgres(data_dir, free_port(), fast=True) as pg:
            socket_dir = pg.socket_dir
        assert not socket_dir.exists()

    def test_refuses_a_taken_port(self, tmp_path: Path, listener: socket.socket) -> None:
        port = listener.getsockname()[1]
        with pytest.raises(PortInUseError, match=str(port)):
            EmbeddedPostgres(tmp_path / "pg", port).start()


class TestUncleanShutdown:
    async def test_restarts_after_the_server_was_killed(self, data_dir: Path) -> None:
        port = free_port()
        with EmbeddedPostgres(data_dir, port, fast=True) as crashed:
            await store_a_row(crashed)
            os.kill(postmaster_pid(crashed), signal.SIGKILL)
            with EmbeddedPostgres(data_dir, port, fast=True) as pg:
                assert await stored_rows(pg) == ["x"]

    async def test_restarts_when_the_stale_pid_now_belongs_to_another_program(
        self, data_dir: Path, unrelated_process: subprocess.Popen[bytes]
    ) -> None:
        port = free_port()
        with EmbeddedPostgres(data_dir, port, fast=True) as pg:
            await store_a_row(pg)
            pid_file = (data_dir / "postmaster.pid").read_text()
        stale = pid_file.replace(pid_file.split("\n", 1)[0], str(unrelated_process.pid), 1)
        (data_dir / "postmaster.pid").write_text(stale)
        with EmbeddedPostgres(data_dir, port, fast=True) as pg:
            assert await stored_rows(pg) == ["x"]
        assert unrelated_process.poll() is None

    async def test_a_server_whose_owner_vanished_is_replaced(self, data_dir: Path) -> None:
        port = free_port()
        with EmbeddedPostgres(data_dir, port, fast=True) as abandoned:
            await store_a_row(abandoned)
            abandoned_socket_dir = abandoned.socket_dir
            with EmbeddedPostgres(data_dir, port, fast=True) as successor:
                assert await stored_rows(successor) == ["x"]
                assert not abandoned.running
                assert not abandoned_socket_dir.exists()
