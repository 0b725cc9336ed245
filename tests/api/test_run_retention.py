"""The api's retention sweep of runs on the real PostgreSQL, at a time a fake clock sets: finished
runs past NETRAVEN_RUN_RETENTION_DAYS go with their results, queued and running runs stay however
old, config versions stay, and 0 keeps everything."""

import secrets
from datetime import timedelta
from uuid import UUID

from faststream.nats import NatsBroker
from netraven_api.config import ApiSettings
from netraven_api.retention import api_retentions
from netraven_shared.db.models import ConfigVersion, Run, RunResult
from netraven_shared.events.base import utc_now
from netraven_shared.operator_log import OperatorLog
from netraven_shared.retention import sweep_all
from sqlalchemy import func, select, update

from tests.fixtures.clock import FakeClock
from tests.fixtures.factories import create_device, create_run, unique

AGES_AND_STATUSES = [
    (400, "succeeded"),
    (400, "failed"),
    (400, "running"),
    (400, "queued"),
    (300, "partial"),
]


async def runs_of_ages(sessions, device_id: str, clock: FakeClock) -> dict[tuple[int, str], str]:
    """One run per (age in days, status), each with its device's result."""
    runs = {}
    for age, status in AGES_AND_STATUSES:
        run_id = await create_run(sessions, [device_id])
        async with sessions() as session:
            await session.execute(
                update(Run)
                .where(Run.id == UUID(run_id))
                .values(status=status, created_at=clock() - timedelta(days=age))
            )
            await session.commit()
        runs[(age, status)] = run_id
    return runs


async def existing(sessions, run_ids: list[str]) -> set[str]:
    async with sessions() as session:
        found = await session.scalars(select(Run.id).where(Run.id.in_(map(UUID, run_ids))))
        return {str(run_id) for run_id in found}


async def sweep(sessions, broker: NatsBroker, settings: ApiSettings, days: int, clock: FakeClock):
    retentions = api_retentions(settings.model_copy(update={"run_retention_days": days}))
    return await sweep_all(sessions, retentions, OperatorLog(broker, "api"), clock())


class TestRunRetention:
    async def test_finished_runs_past_retention_go_with_their_results(
        self, admin, sessions, broker, api_settings
    ) -> None:
        clock = FakeClock(utc_now())
        device = await create_device(admin, 2600, unique("retained"))
        runs = await runs_of_ages(sessions, device["id"], clock)
        expired = runs[(400, "succeeded")]
        async with sessions() as session:
            session.add(
                ConfigVersion(
                    device_id=UUID(device["id"]),
                    run_id=UUID(expired),
                    commit=secrets.token_hex(20),
                    path="retained.cfg",
                    sha256="0" * 64,
                    size_bytes=1,
                    committed_at=clock() - timedelta(days=400),
                )
            )
            await session.commit()

        deleted = await sweep(sessions, broker, api_settings, 365, clock)

        assert deleted["runs"] >= 2
        assert await existing(sessions, list(runs.values())) == {
            runs[(400, "running")],
            runs[(400, "queued")],
            runs[(300, "partial")],
        }
        async with sessions() as session:
            results = await session.scalar(
                select(func.count()).where(RunResult.run_id == UUID(expired))
            )
            versions = await session.scalar(
                select(func.count()).where(ConfigVersion.run_id == UUID(expired))
            )
        assert results == 0
        assert versions == 1  # config history is never pruned

    async def test_zero_keeps_every_run(self, admin, sessions, broker, api_settings) -> None:
        clock = FakeClock(utc_now())
        device = await create_device(admin, 2601, unique("retained"))
        runs = await runs_of_ages(sessions, device["id"], clock)

        deleted = await sweep(sessions, broker, api_settings, 0, clock)

        assert deleted["runs"] == 0
        assert await existing(sessions, list(runs.values())) == set(runs.values())
