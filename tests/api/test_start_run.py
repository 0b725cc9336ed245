"""The scheduler's `START_RUN` request, answered by the in-process api over the real NATS; a request
that is not one is answered at once with an error, and recorded."""

import json
import time
from datetime import UTC, datetime
from uuid import UUID, uuid4

import nats
import pytest
from faststream.nats import NatsBroker
from httpx import AsyncClient
from netraven_shared.events import subjects
from netraven_shared.events.run_rpc import StartRunReply, StartRunRequest, slot_run_id

from tests.fixtures.consumers import rejections_on, wait_until
from tests.fixtures.factories import create_device, unique
from tests.fixtures.infra import Infra


async def ask(broker: NatsBroker, request: StartRunRequest) -> StartRunReply:
    return StartRunReply.model_validate_json(
        (await broker.request(request, subjects.START_RUN, timeout=10)).body
    )


async def scheduled_job(admin: AsyncClient, devices: int = 2) -> dict:
    device_ids = [(await create_device(admin, 3600 + n, "start-run"))["id"] for n in range(devices)]
    body = {
        "name": unique("start-run"),
        "device_ids": device_ids,
        "schedule": {"type": "interval", "seconds": 3600},
    }
    response = await admin.post("/api/jobs", json=body)
    assert response.status_code == 201, response.text
    return response.json()


class TestStartRun:
    async def test_a_slot_is_created_once_then_exists(
        self, admin: AsyncClient, broker: NatsBroker
    ) -> None:
        job = await scheduled_job(admin)
        request = StartRunRequest(
            job_id=UUID(job["id"]), slot=datetime(2026, 12, 1, 10, 15, tzinfo=UTC)
        )
        created = await ask(broker, request)
        assert (created.outcome, created.run_id, created.devices) == (
            "created",
            slot_run_id(request.job_id, request.slot),
            2,
        )
        assert (await ask(broker, request)).outcome == "existed"
        run = (await admin.get(f"/api/runs/{created.run_id}")).json()
        assert (run["trigger"], run["job_id"], len(run["results"])) == ("schedule", job["id"], 2)

    async def test_an_unknown_disabled_or_manual_job_is_refused_with_a_reason(
        self, admin: AsyncClient, broker: NatsBroker
    ) -> None:
        assert "no job" in (await ask(broker, StartRunRequest(job_id=uuid4(), slot=1))).reason
        disabled = await scheduled_job(admin, devices=1)
        await admin.patch(f"/api/jobs/{disabled['id']}", json={"enabled": False})
        reply = await ask(broker, StartRunRequest(job_id=UUID(disabled["id"]), slot=1))
        assert (reply.outcome, reply.run_id) == ("refused", None) and "disabled" in reply.reason
        manual = (
            await admin.post("/api/jobs", json={"name": unique("manual"), "tags": ["start-run"]})
        ).json()
        assert (
            "no schedule"
            in (await ask(broker, StartRunRequest(job_id=UUID(manual["id"]), slot=1))).reason
        )


class TestMalformedRequest:
    @pytest.mark.parametrize(
        "payload",
        [
            b"{not json secret",
            json.dumps({"slot": "secret"}).encode(),
            json.dumps({"job_id": "secret\x00", "slot": 1}).encode(),
        ],
    )
    async def test_gets_an_error_reply_at_once_and_is_recorded(
        self, admin: AsyncClient, infra: Infra, payload: bytes
    ) -> None:
        scheduler = await nats.connect(**infra.nats_options("scheduler"))
        try:
            async with rejections_on(infra, subjects.START_RUN) as rejected:
                started = time.monotonic()
                reply = StartRunReply.model_validate_json(
                    (await scheduler.request(subjects.START_RUN, payload, timeout=5)).data
                )
                answered_in = time.monotonic() - started

                async def recorded() -> bool:
                    return bool(rejected)

                await wait_until(recorded, timeout=5)
        finally:
            await scheduler.close()
        assert (reply.outcome, reply.run_id) == ("error", None) and reply.reason.startswith(
            "invalid payload"
        )
        assert answered_in < 1
        assert [(r.service, r.identity) for r in rejected] == [("api", "scheduler")]
        assert "secret" not in reply.reason and "secret" not in rejected[0].reason
