"""A run's results are read only by a query that names them; its tallies are counted in SQL."""

from uuid import UUID

import pytest
from httpx import AsyncClient
from netraven_api.runs import repository
from netraven_api.runs.progress import refresh_runs
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import RunResult
from sqlalchemy import update
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
    async def test_a_refresh_counts_the_results_in_sql(
        self, run_id: UUID, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        async with sessions() as session:
            await session.execute(
                update(RunResult)
                .where(RunResult.run_id == run_id)
                .values(status="succeeded")
                .execution_options(synchronize_session=False)
            )
            await refresh_runs(session, [run_id], utc_now())
            await session.commit()
            run = await repository.get_run(session, run_id)
            assert (run.status, run.device_count, run.succeeded_count, run.failed_count) == (
                "succeeded",
                2,
                2,
                0,
            )
            assert run.started_at is not None and run.finished_at is not None
