"""The poison scenario of test_poison.py: poison on every subject a service consumes, each sent with
the identity the matrix lets publish it, then valid traffic (a run, log lines, requests), with the
services' readiness watched meanwhile; and the rejections the api then lists."""

import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Self

import nats
import nats.errors
from httpx import AsyncClient
from netraven_lab.lab import Lab
from netraven_shared.events import LogEmitted, LogLinesEmitted, subjects
from netraven_shared.task_stop import stop_task

from tests.e2e.runs import wait_for
from tests.e2e.test_service_restart import wait_for_listing
from tests.faults.poisons import (
    CONSUMERS,
    CONTRACT_ONLY,
    KEY_VALUE,
    RPCS,
    breaks_its_contract,
    malformed_requests,
    poisons_everywhere,
    poisons_in_a_running_run,
    unknown_id_request,
)
from tests.faults.test_kill_during_run import count
from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.infra import Infra
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD

VALID_LOG_LINES = 20
RPC_TIMEOUT = 5.0
SERVICES = ("api", "scheduler", "worker", "gitkeeper", "log-collector", "notifier")


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


async def publish(infra: Infra, poisons: dict[str, list[bytes]]) -> Counter:
    """Each subject's poison, sent as the identity allowed to publish it; (subject, consumer) ->
    deliveries."""
    published: Counter = Counter()
    for subject, payloads in poisons.items():
        identity, consumers = CONSUMERS[subject]
        client = await nats.connect(**infra.nats_options(identity))
        try:
            for payload in payloads:
                await client.jetstream().publish(subject, payload)
                published.update((subject, consumer) for consumer in consumers)
                if subject in CONTRACT_ONLY:
                    model, checking = CONTRACT_ONLY[subject]
                    if breaks_its_contract(model, payload):
                        published.update((subject, consumer) for consumer in checking)
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
    """Half the lines one message each, the other half in one batch."""
    lines = [f"valid line {n} {unique('log')}" for n in range(VALID_LOG_LINES)]
    events = [
        LogEmitted(level="info", log_type="job", message=line, source="worker") for line in lines
    ]
    alone, together = events[: len(events) // 2], events[len(events) // 2 :]
    client = await nats.connect(**infra.nats_options("worker"))
    try:
        for event in alone:
            await client.jetstream().publish(subjects.LOG_EMITTED, event.model_dump_json().encode())
        batch = LogLinesEmitted(lines=together)
        await client.jetstream().publish(batch.subject, batch.model_dump_json().encode())
    finally:
        await client.close()
    return lines


class ReadinessWatch:
    """Every `GET /api/services` entry that is not ready, sampled while the poison and the valid
    traffic flow."""

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
        await stop_task(self._task)

    async def _sample(self) -> None:
        while True:
            response = await self._client.get("/api/services")
            assert response.status_code == 200, response.text
            services = response.json()
            self.not_ready += [(s["service"], s["problem"]) for s in services if not s["ready"]]
            await asyncio.sleep(0.5)


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
