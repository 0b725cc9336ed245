import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from netraven_devstack import EmbeddedPostgres, free_port


def _live_processes_mentioning(text: str) -> list[str]:
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        if state != "Z" and text in command:
            found.append(f"{proc.name}: {command}")
    return found


@pytest.fixture(autouse=True)
def no_server_left_behind(tmp_path: Path) -> Iterator[None]:
    """Every server a test starts under its tmp_path must be gone when the test ends."""
    yield
    if Path("/proc/self").exists():
        assert _live_processes_mentioning(str(tmp_path)) == []


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """Something else listening on a loopback port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock


@pytest.fixture(scope="session")
def initialised_cluster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One initdb per session; tests copy it, which is several times faster than initdb."""
    data_dir = tmp_path_factory.mktemp("template") / "pg"
    with EmbeddedPostgres(data_dir, free_port(), fast=True):
        pass
    return data_dir


@pytest.fixture
def data_dir(tmp_path: Path, initialised_cluster: Path) -> Path:
    return shutil.copytree(initialised_cluster, tmp_path / "pg", symlinks=True)


@pytest.fixture(scope="session")
def running_postgres(
    tmp_path_factory: pytest.TempPathFactory, initialised_cluster: Path
) -> Iterator[EmbeddedPostgres]:
    """One server shared by the tests that only read its state or add uniquely named databases."""
    data_dir = shutil.copytree(initialised_cluster, tmp_path_factory.mktemp("shared") / "pg")
    with EmbeddedPostgres(data_dir, free_port(), fast=True) as pg:
        yield pg
