"""The freshness numbers move when a lab device stops answering: five service processes, real NATS
and PostgreSQL, the SSH simulator behind a proxy the test cuts. Its failed backups leave its age
alone while the other device's good backup makes it fresh again. Stored times are backdated rather
than waited for."""

from collections.abc import AsyncIterator
from datetime import timedelta
from uuid import UUID

import pytest
from httpx import AsyncClient
from netraven_lab.lab import Lab
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import RunResult
from netraven_shared.db.session import create_engine, session_factory
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.e2e.runs import run_job
from tests.fixtures.factories import create_credential, create_device, create_job, unique
from tests.fixtures.infra import Infra
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD
from tests.fixtures.tcp_proxy import TcpProxy

pytestmark = pytest.mark.e2e


@pytest.fixture
async def owner(infra: Infra) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(infra.database_url)
    yield session_factory(engine)
    await engine.dispose()


@pytest.fixture
async def proxied_port(lab: Lab) -> AsyncIterator[TcpProxy]:
    proxy = TcpProxy("127.0.0.1", lab.profiles[2].port)
    await proxy.start()
    yield proxy
    await proxy.stop()


async def backdate_results(
    owner: async_sessionmaker[AsyncSession], device_ids: list[str], age: timedelta
) -> None:
    async with owner() as session:
        await session.execute(
            update(RunResult)
            .where(RunResult.device_id.in_([UUID(device_id) for device_id in device_ids]))
            .values(finished_at=utc_now() - age)
        )
        await session.commit()


async def freshness(client: AsyncClient, tag: str) -> tuple[dict, dict]:
    response = await client.get("/api/devices/freshness")
    assert response.status_code == 200, response.text
    body = response.json()
    return body["buckets"], next(entry for entry in body["tags"] if entry["tag"] == tag)


async def stale_hostnames(client: AsyncClient, tag: str) -> set[str]:
    response = await client.get("/api/devices", params={"tag": tag, "stale": "true"})
    assert response.status_code == 200, response.text
    return {device["hostname"] for device in response.json()["items"]}


class TestFreshnessFollowsTheLab:
    async def test_a_device_that_stops_answering_stays_stale_while_the_other_is_fresh(
        self,
        stack_admin: AsyncClient,
        lab: Lab,
        proxied_port: TcpProxy,
        owner: async_sessionmaker[AsyncSession],
    ) -> None:
        tag = unique("freshness")
        created = await stack_admin.post("/api/tags", json={"name": tag, "stale_after_hours": 2})
        assert created.status_code == 201, created.text
        await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE)
        steady = await create_device(stack_admin, lab.profiles[2].port, tag, unique("steady"))
        flaky = await create_device(stack_admin, proxied_port.port, tag, unique("flaky"))
        job = await create_job(stack_admin, [steady["id"], flaky["id"]])

        first = await run_job(stack_admin, job["id"])
        assert first["status"] == "succeeded", first
        _, fresh = await freshness(stack_admin, tag)
        assert (fresh["devices"], fresh["stale"]) == (2, 0)

        await backdate_results(owner, [steady["id"], flaky["id"]], timedelta(hours=3))
        before, aged = await freshness(stack_admin, tag)
        assert aged["stale"] == 2
        assert aged["oldest_age_seconds"] == pytest.approx(3 * 3600, abs=60)
        assert await stale_hostnames(stack_admin, tag) == {steady["hostname"], flaky["hostname"]}

        await proxied_port.stop()  # the device stops answering
        second = await run_job(stack_admin, job["id"])
        assert {r["device_id"]: r["status"] for r in second["results"]} == {
            steady["id"]: "succeeded",
            flaky["id"]: "failed",
        }
        after, now = await freshness(stack_admin, tag)
        assert now["stale"] == 1
        assert now["oldest_age_seconds"] == pytest.approx(3 * 3600, abs=60), (
            "a failed backup does not refresh the age"
        )
        assert await stale_hostnames(stack_admin, tag) == {flaky["hostname"]}
        assert (after["1h"] - before["1h"], after["6h"] - before["6h"]) == (1, -1)
