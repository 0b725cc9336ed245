"""A message a service refuses reaches the operator: log-collector records it, the admins' view
lists and counts it, and the unified log shows it as a `bus` warning. Never with its payload."""

import asyncio
import json
import uuid

import nats
import pytest
from httpx import AsyncClient
from netraven_shared.events import subjects

from tests.fixtures.infra import Infra

pytestmark = pytest.mark.e2e


async def rejections_of_requests(admin: AsyncClient) -> list[dict]:
    return (
        await admin.get(
            "/api/bus/rejections", params={"subject": subjects.JOB_REQUESTED, "limit": 500}
        )
    ).json()["items"]


class TestRejectedRequest:
    async def test_is_listed_counted_and_logged_without_its_payload(
        self, infra: Infra, stack_admin: AsyncClient
    ) -> None:
        newest_before = max(
            (item["id"] for item in await rejections_of_requests(stack_admin)), default=0
        )
        secret = f"secret-{uuid.uuid4().hex}"
        connection = await nats.connect(**infra.nats_options("integrator"))
        try:
            await connection.jetstream().publish(
                subjects.JOB_REQUESTED,
                json.dumps({"trigger": secret, "device_id": "not-a-uuid"}).encode(),
            )
        finally:
            await connection.close()
        deadline = asyncio.get_running_loop().time() + 30
        while not (
            new := [
                item
                for item in await rejections_of_requests(stack_admin)
                if item["id"] > newest_before
            ]
        ):
            assert asyncio.get_running_loop().time() < deadline, (
                "the rejection never reached /api/bus/rejections"
            )
            await asyncio.sleep(0.3)
        assert "invalid payload" in new[0]["reason"] and secret not in new[0]["reason"]
        summary = (await stack_admin.get("/api/bus/rejections/summary")).json()
        assert any(
            g["rejected_subject"] == subjects.JOB_REQUESTED and g["count"] >= 1
            for g in summary["groups"]
        )
        lines = (
            await stack_admin.get(
                "/api/logs", params={"log_type": "bus", "level": "warning", "limit": 500}
            )
        ).json()["items"]
        assert any(
            subjects.JOB_REQUESTED in line["message"] and secret not in line["message"]
            for line in lines
        )
