"""Poison on every subject a service consumes, sent with the identity the matrix lets publish it, then
valid traffic: every valid thing is stored, every poison is refused and recorded without its payload,
no poison starts a run, and no service restarts, stops being ready or leaves a requester waiting.

Real processes on a NATS and a database of the suite's own (`fault_stack`), a few simulated devices.
"""

import asyncio
import json
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Self

import nats
import nats.errors
import pytest
from httpx import AsyncClient
from netraven_lab.lab import Lab
from netraven_lab.profiles import make_lab_profiles
from netraven_shared.bus_identities import IDENTITIES
from netraven_shared.events import LogEmitted, subjects

from tests.e2e.runs import wait_for
from tests.e2e.test_service_restart import wait_for_listing
from tests.faults.poisons import (
    CONSUMERS,
    KEY_VALUE,
    MARKER,
    RPCS,
    malformed_requests,
    poisons_everywhere,
    poisons_in_a_running_run,
    unknown_id_request,
)
from tests.faults.test_kill_during_run import count
from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.infra import Infra
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME
from tests.fixtures.stack import Stack

pytestmark = pytest.mark.e2e
DEVICES = 4
VALID_LOG_LINES = 20
RPC_TIMEOUT = 5.0
ANSWERED_WITHIN = 1.0
SERVICES = ("api", "scheduler", "worker", "gitkeeper", "log-collector")


@dataclass
class Outcome:
    run: dict
    device_ids: list[str]
    runs_before: int
    published: Counter  # (subject, consuming service) -> poisons sent
    replies: list[
        tuple[str, float, dict]
    ]  # (subject, seconds, reply): the malformed requests, then one about unknown ids
    log_lines: list[str]
    not_ready: list[tuple[str, str | None]] = field(
        default_factory=list
    )  # (service, problem) seen meanwhile


@pytest.fixture(scope="module")
async def lab() -> AsyncIterator[Lab]:
    async with Lab(
        make_lab_profiles(
            DEVICES, username=LAB_USERNAME, password=LAB_PASSWORD, enable_secret=LAB_ENABLE
        )
    ) as running:
        yield running


async def publish(infra: Infra, poisons: dict[str, list[bytes]]) -> Counter:
    """Each subject's poison, sent as the identity allowed to publish it; (subject, consumer) -> deliveries."""
    published: Counter = Counter()
    for subject, payloads in poisons.items():
        identity, consumers = CONSUMERS[subject]
        client = await nats.connect(**infra.nats_options(identity))
        try:
            for payload in payloads:
                await client.jetstream().publish(subject, payload)
                published.update((subject, consumer) for consumer in consumers)
        finally:
            await client.close()
    return published


async def request_poisons(infra: Infra) -> list[tuple[str, float, dict]]:
    replies = []
    for subject, (identity, _) in RPCS.items():
        client = await nats.connect(**infra.nats_options(identity))
        try:
            for payload in [*malformed_requests(), unknown_id_request(subject)]:
                started = time.monotonic()
                try:
                    answer = json.loads(
                        (await client.request(subject, payload, timeout=RPC_TIMEOUT)).data
                    )
                except nats.errors.TimeoutError:
                    answer = {}
                replies.append((subject, time.monotonic() - started, answer))
        finally:
            await client.close()
    return replies


async def write_bad_statuses(infra: Infra) -> None:
    client = await nats.connect(**infra.nats_options("worker"))
    try:
        for bucket, key, value in KEY_VALUE:
            await (await client.jetstream().key_value(bucket)).put(key, value)
    finally:
        await client.close()


async def emit_log_lines(infra: Infra) -> list[str]:
    lines = [f"valid line {n} {unique('log')}" for n in range(VALID_LOG_LINES)]
    client = await nats.connect(**infra.nats_options("worker"))
    try:
        for line in lines:
            event = LogEmitted(level="info", log_type="job", message=line, source="worker")
            await client.jetstream().publish(subjects.LOG_EMITTED, event.model_dump_json().encode())
    finally:
        await client.close()
    return lines


class ReadinessWatch:
    """Every `GET /api/services` entry that is not ready, sampled while the poison and the valid traffic flow."""

    def __init__(self, client: AsyncClient) -> None:
        self.not_ready: list[tuple[str, str | None]] = []
        self._client = client
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Self:
        # each process beats every 5 s: its first beat may predate its consumers
        await wait_for_listing(
            self._client,
            lambda items: {s["service"] for s in items if s["ready"]} >= set(SERVICES),
            timeout=15,
        )
        self._task = asyncio.create_task(self._sample())
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with suppress(asyncio.CancelledError):
            await self._task

    async def _sample(self) -> None:
        while True:
            response = await self._client.get("/api/services")
            assert response.status_code == 200, response.text
            services = response.json()
            self.not_ready += [(s["service"], s["problem"]) for s in services if not s["ready"]]
            await asyncio.sleep(0.5)


@pytest.fixture(scope="module")
async def outcome(fault_admin: AsyncClient, fault_infra: Infra, lab: Lab) -> Outcome:
    async with ReadinessWatch(fault_admin) as watch:
        traffic = await poison_then_valid_traffic(fault_admin, fault_infra, lab)
    traffic.not_ready = watch.not_ready
    return traffic


async def poison_then_valid_traffic(
    fault_admin: AsyncClient, fault_infra: Infra, lab: Lab
) -> Outcome:
    tag = unique("poison")
    await create_credential(fault_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    device_ids = [
        (await create_device(fault_admin, profile.port, tag))["id"] for profile in lab.profiles
    ]
    outsider = (await create_device(fault_admin, 9, tag))["id"]  # in no job
    job = (
        await fault_admin.post(
            "/api/jobs", json={"name": unique("poison-run"), "device_ids": device_ids}
        )
    ).json()
    runs_before = await count(fault_infra, "SELECT count(*) FROM runs")
    await write_bad_statuses(fault_infra)
    published = await publish(fault_infra, poisons_everywhere(device_ids[0]))
    accepted = await fault_admin.post(f"/api/jobs/{job['id']}/run")
    assert accepted.status_code == 202, accepted.text
    published += await publish(
        fault_infra, poisons_in_a_running_run(accepted.json()["run_id"], outsider)
    )
    log_lines = await emit_log_lines(fault_infra)
    run = await wait_for(fault_admin, accepted.json()["run_id"], timeout=30)
    replies = await request_poisons(fault_infra)  # with configs in git: a search really runs git
    return Outcome(run, device_ids, runs_before, published, replies, log_lines)


async def rejections(client: AsyncClient) -> list[dict]:
    items, params = [], {"limit": 500}
    while True:
        page = (await client.get("/api/bus/rejections", params=params)).json()
        items += page["items"]
        if page["next_before"] is None:
            return items
        params["before"] = page["next_before"]


async def wait_for_rejections(
    client: AsyncClient, expected: Counter, timeout: float = 20
) -> Counter:
    deadline = time.monotonic() + timeout
    while True:
        seen = Counter((r["rejected_subject"], r["service"]) for r in await rejections(client))
        if all(seen[key] >= want for key, want in expected.items()) or time.monotonic() > deadline:
            return seen
        await asyncio.sleep(0.3)


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
        f"slowest answer to a request/reply poison: {max(seconds for _, seconds, _ in outcome.replies) * 1000:.0f} ms"
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
