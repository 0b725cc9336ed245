"""Poison on every subject a service consumes, sent with the identity the matrix lets publish it,
then valid traffic: every valid thing is stored, every poison is refused and recorded without its
payload, no poison starts a run, and no service restarts, stops being ready or leaves a requester
waiting.

Real processes on a NATS and a database of the suite's own (`fault_stack`), a few simulated devices.
"""

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator

import nats
import nats.errors
import pytest
from httpx import AsyncClient
from netraven_lab.lab import Lab
from netraven_lab.profiles import make_lab_profiles
from netraven_shared.bus_identities import IDENTITIES
from netraven_shared.events import subjects

from tests.faults.poison_traffic import (
    SERVICES,
    Outcome,
    ReadinessWatch,
    poison_then_valid_traffic,
    rejections,
    wait_for_rejections,
)
from tests.faults.poisons import MARKER, RPCS, malformed_requests
from tests.faults.test_kill_during_run import count
from tests.fixtures.infra import Infra
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME
from tests.fixtures.stack import Stack

pytestmark = pytest.mark.e2e
DEVICES = 4
ANSWERED_WITHIN = 1.0


@pytest.fixture(scope="module")
async def lab() -> AsyncIterator[Lab]:
    async with Lab(
        make_lab_profiles(
            DEVICES, username=LAB_USERNAME, password=LAB_PASSWORD, enable_secret=LAB_ENABLE
        )
    ) as running:
        yield running


@pytest.fixture(scope="module")
async def outcome(fault_admin: AsyncClient, fault_infra: Infra, lab: Lab) -> Outcome:
    async with ReadinessWatch(fault_admin) as watch:
        traffic = await poison_then_valid_traffic(fault_admin, fault_infra, lab)
    traffic.not_ready = watch.not_ready
    return traffic


async def test_every_valid_device_is_backed_up_and_its_config_is_in_git(
    fault_admin: AsyncClient, outcome: Outcome
) -> None:
    run = outcome.run
    assert run["status"] == "succeeded", {
        r["hostname"]: (r["status"], r["error"]) for r in run["results"]
    }
    assert len(run["results"]) == DEVICES
    for device_id in outcome.device_ids:
        versions = (await fault_admin.get(f"/api/devices/{device_id}/configs")).json()
        assert versions, f"no config version of device {device_id}"
        text = await fault_admin.get(f"/api/devices/{device_id}/configs/{versions[0]['commit']}")
        assert text.status_code == 200 and "hostname" in text.json()["text"], text.text


async def test_every_valid_log_line_is_stored(fault_admin: AsyncClient, outcome: Outcome) -> None:
    deadline = time.monotonic() + 10
    while True:
        stored = {
            line["message"]
            for line in (
                await fault_admin.get("/api/logs", params={"q": "valid line", "limit": 500})
            ).json()["items"]
        }
        if set(outcome.log_lines) <= stored or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.3)
    assert set(outcome.log_lines) <= stored


async def test_every_poison_is_recorded_with_a_reason_and_without_its_payload(
    fault_admin: AsyncClient,
    fault_stack: Stack,
    outcome: Outcome,
) -> None:
    expected = outcome.published + Counter(
        {(subject, server): len(malformed_requests()) for subject, (_, server) in RPCS.items()}
    )
    seen = await wait_for_rejections(fault_admin, expected)
    assert {
        key: (seen[key], expected[key]) for key in seen | expected if seen[key] != expected[key]
    } == {}, "(seen, sent) per subject and service"
    reasons = [r["reason"] for r in await rejections(fault_admin)]
    print(
        f"{len(reasons)} rejections recorded for {sum(expected.values())} "
        f"poison deliveries on {len({s for s, _ in expected})} subjects"
    )
    assert all(reasons)
    assert not [reason for reason in reasons if MARKER in reason]
    assert (await fault_admin.get("/api/logs", params={"q": MARKER})).json()["items"] == []
    assert not [name for name in SERVICES if MARKER in fault_stack.log_of(name)]


async def test_request_reply_poison_is_answered_at_once_with_an_error(outcome: Outcome) -> None:
    assert len(outcome.replies) == len(RPCS) * (len(malformed_requests()) + 1)
    print(
        "slowest answer to a request/reply poison: "
        f"{max(seconds for _, seconds, _ in outcome.replies) * 1000:.0f} ms"
    )
    slow = [
        (subject, round(seconds, 2))
        for subject, seconds, _ in outcome.replies
        if seconds > ANSWERED_WITHIN
    ]
    assert slow == []
    per_subject = {
        subject: [reply for s, _, reply in outcome.replies if s == subject] for subject in RPCS
    }
    for subject, (*malformed, unknown) in per_subject.items():
        if subject == subjects.START_RUN:
            assert [(r["outcome"], "invalid payload" in r["reason"]) for r in malformed] == [
                ("error", True)
            ] * len(malformed)
            assert unknown["outcome"] == "refused" and "no job" in unknown["reason"]
        else:
            assert ["invalid payload" in r["error"] for r in malformed] == [True] * len(
                malformed
            ), malformed
            assert unknown and unknown.get("found", False) is False, unknown


async def test_no_poison_is_left_pending_or_redelivered(
    fault_infra: Infra, outcome: Outcome
) -> None:
    client = await nats.connect(**fault_infra.nats_options())
    try:
        stream = client.jetstream()
        durables = [
            durable
            for identity in IDENTITIES.values()
            if identity.name != "integrator"
            for durable in identity.durables
        ]
        deadline = time.monotonic() + 10
        while True:
            infos = {
                durable.name: await stream.consumer_info(durable.stream, durable.name)
                for durable in durables
            }
            left = {
                name: (info.num_pending, info.num_ack_pending, info.num_redelivered)
                for name, info in infos.items()
                if info.num_pending or info.num_ack_pending
            }
            if not left or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.3)
    finally:
        await client.close()
    assert left == {}, "(pending, awaiting ack, redelivered) per durable"
    assert {
        name: info.num_redelivered for name, info in infos.items() if info.num_redelivered
    } == {}


async def test_no_poison_starts_a_run_and_no_service_restarts(
    fault_admin: AsyncClient,
    fault_infra: Infra,
    fault_stack: Stack,
    outcome: Outcome,
) -> None:
    assert await count(fault_infra, "SELECT count(*) FROM runs") == outcome.runs_before + 1
    assert (
        await count(
            fault_infra,
            "SELECT count(*) FROM run_results WHERE run_id <> $1",
            uuid.UUID(outcome.run["id"]),
        )
        == 0
    )
    assert [name for name in SERVICES if not fault_stack.is_running(name)] == []
    assert outcome.not_ready == []
    assert (await fault_admin.get("/api/workers")).status_code == 200
    services = (await fault_admin.get("/api/services")).json()
    assert sorted(s["service"] for s in services) == sorted(SERVICES)
    assert [
        (s["service"], s["restarts"], s["problem"])
        for s in services
        if s["restarts"] or not s["ready"]
    ] == []
