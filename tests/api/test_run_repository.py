"""A run's results are read only by a query that names them; its tallies are counted in SQL."""

from uuid import UUID

import pytest
from httpx import AsyncClient
from netraven_api.runs import repository
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.factories import create_device, create_run, unique


@pytest.fixture
async def run_id(operator: AsyncClient, sessions: async_sessionmaker[AsyncSession]) -> UUID:
    tag = unique("repo")
    devices = [await create_device(operator, port, tag) for port in (2601, 2602)]
    return UUID(await create_run(sessions, [device["id"] for device in devices]))


class TestResultsAreLoadedOnlyWhenNamed:
    async def test_locking_a_run_reads_none_of_its_results(
        self,
        run_id: UUID,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        async with sessions() as session:
            run = await repository.lock_run(session, run_id)
            with pytest.raises(InvalidRequestError):
                _ = run.results

    async def test_a_run_with_its_results_has_them_in_hostname_order(
        self,
        run_id: UUID,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        async with sessions() as session:
            run, _ = await repository.run_with_job_name(session, run_id)
            hostnames = [result.hostname for result in run.results]
        assert len(hostnames) == 2 and hostnames == sorted(hostnames)


class TestTallies:
    async def test_counted_in_sql(
        self, run_id: UUID, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        async with sessions() as session:
            assert await repository.result_tallies(session, run_id) == (2, 0, 0)
            assert await repository.result_statuses(session, run_id) == ["queued"]
