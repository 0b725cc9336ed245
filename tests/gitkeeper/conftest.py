"""Gitkeeper's parts on a temp repository, the real PostgreSQL and, for large configs, the real
NATS."""

from pathlib import Path

import pytest
from faststream.nats import NatsBroker
from netraven_gitkeeper.config_repo import ConfigRepository
from netraven_gitkeeper.reader import ConfigReader
from netraven_gitkeeper.writer import ConfigWriter
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


@pytest.fixture
def repo(tmp_path: Path) -> ConfigRepository:
    return ConfigRepository(tmp_path / "repo")


@pytest.fixture
def writer(repo: ConfigRepository, sessions: async_sessionmaker[AsyncSession]) -> ConfigWriter:
    return ConfigWriter(repo, sessions)


@pytest.fixture
def reader(
    repo: ConfigRepository, sessions: async_sessionmaker[AsyncSession], broker: NatsBroker
) -> ConfigReader:
    return ConfigReader(repo, sessions, broker)
