"""A run's start reads its job's targets as columns, in one query, and not the job's devices."""

from uuid import UUID

import pytest
from httpx import AsyncClient
from netraven_api.jobs.service import job_to_run
from netraven_api.runs.repository import Target, job_targets
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import Device
from sqlalchemy import update
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.factories import create_device, unique


async def hosts(client: AsyncClient, prefix: str, names: str, tag: str) -> dict[str, dict]:
    return {
        name: await create_device(client, 2700 + n, tag, hostname=f"{prefix}-{name}")
        for n, name in enumerate(names)
    }


class TestJobTargets:
    async def test_are_its_devices_and_its_tags_once_each_by_hostname_without_the_orphaned(
        self, operator: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        prefix, tag, other = unique("targets"), unique("tagged"), unique("untagged")
        named = await hosts(operator, prefix, "db", other)
        tagged = await hosts(operator, prefix, "ca", tag) | await hosts(operator, prefix, "e", tag)
        body = {
            "name": unique("job"),
            "device_ids": [named["d"]["id"], named["b"]["id"], tagged["a"]["id"]],
            "tags": [tag],
        }
        response = await operator.post("/api/jobs", json=body)
        assert response.status_code == 201, response.text
        async with sessions() as session:
            orphaned = UUID(tagged["e"]["id"])
            await session.execute(
                update(Device).where(Device.id == orphaned).values(orphaned_at=utc_now())
            )
            targets = await job_targets(session, UUID(response.json()["id"]))
            await session.rollback()
        expected = [named["b"], tagged["a"], tagged["c"], named["d"]]
        expected.sort(key=lambda device: device["hostname"])
        assert targets == [Target(UUID(d["id"]), d["hostname"]) for d in expected]

    async def test_the_job_to_run_comes_without_its_devices_and_tags(
        self, operator: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        device = await create_device(operator, 2710, unique("tag"))
        body = {"name": unique("job"), "device_ids": [device["id"]]}
        response = await operator.post("/api/jobs", json=body)
        async with sessions() as session:
            job = await job_to_run(session, UUID(response.json()["id"]))
            with pytest.raises(InvalidRequestError):
                _ = job.devices
            with pytest.raises(InvalidRequestError):
                _ = job.tags
