"""Poison on every subject a service consumes, sent with the identity the matrix lets publish it, then
valid traffic: every valid thing is stored, every poison is refused and recorded without its payload,
no poison starts a run, and no service restarts, stops being ready or leaves a requester waiting.

Real processes on a NATS and a database of the suite's own (`fault_stack`), a few simulated devices.
"""

import asyncio
import hashlib
import json
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import suppress
from dataclasses import dataclass, field

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
from tests.faults.test_kill_during_run import count
from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.infra import Infra
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME
from tests.fixtures.stack import Stack

pytestmark = pytest.mark.e2e
DEVICES = 4
MARKER = f"poison-{uuid.uuid4().hex[:12]}"
VALID_LOG_LINES = 20
FLOOD = 10  # unknown devices per subject in the valid run: many poisons in the batches of its events
RPC_TIMEOUT = 5.0
ANSWERED_WITHIN = 1.0
SERVICES = ("api", "scheduler", "worker", "gitkeeper", "log-collector")

# Who consumes each subject, and the identity the matrix lets publish it.
CONSUMERS = {
    subjects.JOB_REQUESTED: ("integrator", ("api",)),
    subjects.JOB_DISPATCHED: ("api", ("worker",)),
    subjects.BACKUP_STARTED: ("worker", ("api",)),
    subjects.BACKUP_SUCCEEDED: ("worker", ("gitkeeper", "api")),
    subjects.BACKUP_FAILED: ("worker", ("api",)),
    subjects.REACHABILITY_CHECKED: ("worker", ("api",)),
    subjects.CONFIG_STORED: ("gitkeeper", ("api",)),
    subjects.LOG_EMITTED: ("worker", ("log-collector",)),
    subjects.EVENT_REJECTED: ("worker", ("log-collector",)),
}
RPCS = {
    subjects.CONFIG_READ: ("api", "gitkeeper"),
    subjects.CONFIG_DIFF: ("api", "gitkeeper"),
    subjects.CONFIG_SEARCH: ("api", "gitkeeper"),
    subjects.START_RUN: ("scheduler", "api"),
}


CONFIG = "hostname x\n"
SHA = hashlib.sha256(CONFIG.encode()).hexdigest()  # right, so gitkeeper gets as far as asking the database
COMMIT = "3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e"
NOT_AN_OBJECT = (b"", b"null", b"[]", b"42", b'"text"', b"\xff\xfe binary")
HOSTNAME = f"{MARKER}-sw"  # a valid name: no reason may quote it either


def ids() -> dict:
    return {"event_id": str(uuid.uuid4()), "correlation_id": str(uuid.uuid4()), "run_id": str(uuid.uuid4()), "device_id": str(uuid.uuid4())}


def valid_shapes(known_device: str) -> dict[str, dict]:
    """A payload per subject that passes its contract but names ids no database row has."""
    return {
        subjects.JOB_REQUESTED: {"device_id": str(uuid.uuid4())},
        subjects.JOB_DISPATCHED: {**ids(), "trigger": "manual"},
        subjects.BACKUP_STARTED: {**ids(), "hostname": HOSTNAME, "worker_id": "w", "attempt": 1},
        subjects.BACKUP_SUCCEEDED: {
            **ids(), "hostname": HOSTNAME, "device_type": "cisco_ios", "config_text": CONFIG, "sha256": SHA,
            "size_bytes": len(CONFIG), "collected_at": "2026-11-23T10:00:05Z",
        },
        subjects.BACKUP_FAILED: {**ids(), "hostname": HOSTNAME, "error": "boom", "attempts": 1},
        subjects.REACHABILITY_CHECKED: {**ids(), "hostname": HOSTNAME, "port": 22, "reachable": True, "latency_ms": 1.0},
        subjects.CONFIG_STORED: {**ids(), "hostname": HOSTNAME, "commit": COMMIT, "sha256": SHA, "changed": True},
        # a log line and a rejection are the facts themselves: no id of theirs is looked up
        subjects.LOG_EMITTED: {"level": "info", "log_type": "job", "source": "worker", "message": "m", "device_id": known_device},
        subjects.EVENT_REJECTED: {"rejected_subject": subjects.LOG_EMITTED, "reason": "r", "service": "worker"},
    }


OVERSIZED = {
    subjects.JOB_REQUESTED: {"schema_version": 2**40},
    subjects.JOB_DISPATCHED: {"schema_version": 10**12},
    subjects.BACKUP_STARTED: {"attempt": 10**12},
    subjects.BACKUP_SUCCEEDED: {"size_bytes": 2**40},
    subjects.BACKUP_FAILED: {"attempts": 10**12},
    subjects.REACHABILITY_CHECKED: {"port": 2**40},
    subjects.CONFIG_STORED: {"schema_version": 2**40},
    subjects.LOG_EMITTED: {"schema_version": 10**12},
    subjects.EVENT_REJECTED: {"schema_version": 10**12},
}
# a field each poison overfills or puts a NUL byte in; a hostname also gets a newline (a log message may hold one)
TEXT_FIELD = {subjects.LOG_EMITTED: "source", subjects.EVENT_REJECTED: "reason", subjects.JOB_DISPATCHED: "trigger"}


def poisons_of(subject: str, shape: dict, known_device: str) -> list[bytes]:
    """Each with room for it carries MARKER, so the test can tell that no reason or log line repeats a payload."""
    text = TEXT_FIELD.get(subject, "hostname")
    variants = [
        {**shape, **OVERSIZED[subject], "note": MARKER},
        {**shape, text: MARKER + "x" * 1000},
        {**shape, text: f"{MARKER}\x00nul"},
        {"unexpected": MARKER, "schema_version": "one"},
    ]
    if text == "hostname":
        variants.append({**shape, text: f"{MARKER}\nline two"})
    if subject == subjects.JOB_REQUESTED:  # an unknown device; a known one with an unknown job or run
        variants += [{**shape, "note": MARKER}, *({"device_id": known_device, key: str(uuid.uuid4()), "note": MARKER} for key in ("job_id", "run_id"))]
    elif subject not in (subjects.LOG_EMITTED, subjects.EVENT_REJECTED):  # unknown ids; a known device in a run that lacks it
        variants += [{**shape, "note": MARKER}, {**shape, "device_id": known_device, "note": MARKER}]
    return [json.dumps(variant).encode() for variant in variants] + [b"{not json " + MARKER.encode(), *NOT_AN_OBJECT]


def malformed_requests() -> list[bytes]:
    return [*NOT_AN_OBJECT,
        b"{not json " + MARKER.encode(),
        json.dumps({"unexpected": MARKER}).encode(),
        json.dumps({"job_id": MARKER + "\x00", "device_id": MARKER + "\x00", "slot": 10**40, "commit": MARKER, "limit": 10**12}).encode(),
    ]


def unknown_id_request(subject: str) -> bytes:
    """Well formed, about nothing the database knows: answered (refused, not found), not a rejection."""
    if subject == subjects.START_RUN:
        return json.dumps({"job_id": str(uuid.uuid4()), "slot": 10**40, "note": MARKER}).encode()
    return json.dumps({"device_id": str(uuid.uuid4()), "commit": COMMIT, "from_commit": COMMIT, "to_commit": COMMIT, "query": "ab", "note": MARKER}).encode()


@dataclass
class Outcome:
    run: dict
    device_ids: list[str]
    runs_before: int
    published: Counter  # (subject, consuming service) -> poisons sent
    replies: list[tuple[str, float, dict]]  # (subject, seconds, reply): the malformed requests, then one about unknown ids
    log_lines: list[str]
    not_ready: list[tuple[str, str | None]] = field(default_factory=list)  # (service, problem) seen meanwhile


@pytest.fixture(scope="module")
async def lab() -> AsyncIterator[Lab]:
    async with Lab(make_lab_profiles(DEVICES, username=LAB_USERNAME, password=LAB_PASSWORD, enable_secret=LAB_ENABLE)) as running:
        yield running


def poisons_everywhere(known_device: str) -> dict[str, list[bytes]]:
    shapes = valid_shapes(known_device)
    return {subject: poisons_of(subject, shapes[subject], known_device) for subject in CONSUMERS}


def poisons_in_a_running_run(run_id: str, outsider: str) -> dict[str, list[bytes]]:
    """Events of the valid run about an unknown device and about a known one the run lacks: they share
    batches with the run's own events, which must still be stored."""
    shapes = valid_shapes(outsider)
    about_the_run = (subjects.JOB_DISPATCHED, subjects.BACKUP_STARTED, subjects.BACKUP_SUCCEEDED, subjects.BACKUP_FAILED, subjects.REACHABILITY_CHECKED, subjects.CONFIG_STORED)
    return {
        subject: [json.dumps({**shapes[subject], "run_id": run_id, "device_id": device, "note": MARKER}).encode() for device in (*(str(uuid.uuid4()) for _ in range(FLOOD)), outsider)]
        for subject in about_the_run
    }


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
                    answer = json.loads((await client.request(subject, payload, timeout=RPC_TIMEOUT)).data)
                except nats.errors.TimeoutError:
                    answer = {}
                replies.append((subject, time.monotonic() - started, answer))
        finally:
            await client.close()
    return replies


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

    async def __aenter__(self) -> "ReadinessWatch":
        # each process beats every 5 s: its first beat may predate its consumers
        await wait_for_listing(self._client, lambda items: {s["service"] for s in items if s["ready"]} >= set(SERVICES), timeout=15)
        self._task = asyncio.create_task(self._sample())
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with suppress(asyncio.CancelledError):
            await self._task

    async def _sample(self) -> None:
        while True:
            services = (await self._client.get("/api/services")).json()
            self.not_ready += [(s["service"], s["problem"]) for s in services if not s["ready"]]
            await asyncio.sleep(0.5)


@pytest.fixture(scope="module")
async def outcome(fault_admin: AsyncClient, fault_infra: Infra, lab: Lab) -> Outcome:
    async with ReadinessWatch(fault_admin) as watch:
        traffic = await poison_then_valid_traffic(fault_admin, fault_infra, lab)
    traffic.not_ready = watch.not_ready
    return traffic


async def poison_then_valid_traffic(fault_admin: AsyncClient, fault_infra: Infra, lab: Lab) -> Outcome:
    tag = unique("poison")
    await create_credential(fault_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    device_ids = [(await create_device(fault_admin, profile.port, tag))["id"] for profile in lab.profiles]
    outsider = (await create_device(fault_admin, 9, tag))["id"]  # in no job
    job = (await fault_admin.post("/api/jobs", json={"name": unique("poison-run"), "device_ids": device_ids})).json()
    runs_before = await count(fault_infra, "SELECT count(*) FROM runs")
    published = await publish(fault_infra, poisons_everywhere(device_ids[0]))
    accepted = await fault_admin.post(f"/api/jobs/{job['id']}/run")
    assert accepted.status_code == 202, accepted.text
    published += await publish(fault_infra, poisons_in_a_running_run(accepted.json()["run_id"], outsider))
    log_lines = await emit_log_lines(fault_infra)
    replies = await request_poisons(fault_infra)
    run = await wait_for(fault_admin, accepted.json()["run_id"], timeout=30)
    return Outcome(run, device_ids, runs_before, published, replies, log_lines)


async def rejections(client: AsyncClient) -> list[dict]:
    items, params = [], {"limit": 500}
    while True:
        page = (await client.get("/api/bus/rejections", params=params)).json()
        items += page["items"]
        if page["next_before"] is None:
            return items
        params["before"] = page["next_before"]


async def wait_for_rejections(client: AsyncClient, expected: Counter, timeout: float = 20) -> Counter:
    deadline = time.monotonic() + timeout
    while True:
        seen = Counter((r["rejected_subject"], r["service"]) for r in await rejections(client))
        if all(seen[key] >= want for key, want in expected.items()) or time.monotonic() > deadline:
            return seen
        await asyncio.sleep(0.3)


async def test_every_valid_device_is_backed_up_and_its_config_is_in_git(fault_admin: AsyncClient, outcome: Outcome) -> None:
    run = outcome.run
    assert run["status"] == "succeeded", {r["hostname"]: (r["status"], r["error"]) for r in run["results"]}
    assert len(run["results"]) == DEVICES
    for device_id in outcome.device_ids:
        versions = (await fault_admin.get(f"/api/devices/{device_id}/configs")).json()
        assert versions, f"no config version of device {device_id}"
        text = await fault_admin.get(f"/api/devices/{device_id}/configs/{versions[0]['commit']}")
        assert text.status_code == 200 and "hostname" in text.json()["text"], text.text


async def test_every_valid_log_line_is_stored(fault_admin: AsyncClient, outcome: Outcome) -> None:
    deadline = time.monotonic() + 10
    while True:
        stored = {line["message"] for line in (await fault_admin.get("/api/logs", params={"q": "valid line", "limit": 500})).json()["items"]}
        if set(outcome.log_lines) <= stored or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.3)
    assert set(outcome.log_lines) <= stored


async def test_every_poison_is_recorded_with_a_reason_and_without_its_payload(
    fault_admin: AsyncClient, fault_stack: Stack, outcome: Outcome,
) -> None:
    expected = outcome.published + Counter({(subject, server): len(malformed_requests()) for subject, (_, server) in RPCS.items()})
    seen = await wait_for_rejections(fault_admin, expected)
    assert {key: (seen[key], expected[key]) for key in seen | expected if seen[key] != expected[key]} == {}, "(seen, sent) per subject and service"
    reasons = [r["reason"] for r in await rejections(fault_admin)]
    print(f"{len(reasons)} rejections recorded for {sum(expected.values())} poison deliveries on {len({s for s, _ in expected})} subjects")
    assert all(reasons)
    assert not [reason for reason in reasons if MARKER in reason]
    assert (await fault_admin.get("/api/logs", params={"q": MARKER})).json()["items"] == []
    assert not [name for name in SERVICES if MARKER in fault_stack.log_of(name)]


async def test_request_reply_poison_is_answered_at_once_with_an_error(outcome: Outcome) -> None:
    assert len(outcome.replies) == len(RPCS) * (len(malformed_requests()) + 1)
    print(f"slowest answer to a request/reply poison: {max(seconds for _, seconds, _ in outcome.replies) * 1000:.0f} ms")
    slow = [(subject, round(seconds, 2)) for subject, seconds, _ in outcome.replies if seconds > ANSWERED_WITHIN]
    assert slow == []
    per_subject = {subject: [reply for s, _, reply in outcome.replies if s == subject] for subject in RPCS}
    for subject, (*malformed, unknown) in per_subject.items():
        if subject == subjects.START_RUN:
            assert [(r["outcome"], "invalid payload" in r["reason"]) for r in malformed] == [("error", True)] * len(malformed)
            assert unknown["outcome"] == "refused" and "no job" in unknown["reason"]
        else:
            assert ["invalid payload" in r["error"] for r in malformed] == [True] * len(malformed), malformed
            assert unknown and unknown.get("found", False) is False, unknown


async def test_no_poison_is_left_pending_or_redelivered(fault_infra: Infra, outcome: Outcome) -> None:
    client = await nats.connect(**fault_infra.nats_options())
    try:
        stream = client.jetstream()
        durables = [durable for identity in IDENTITIES.values() if identity.name != "integrator" for durable in identity.durables]
        deadline = time.monotonic() + 10
        while True:
            infos = {durable.name: await stream.consumer_info(durable.stream, durable.name) for durable in durables}
            left = {name: (info.num_pending, info.num_ack_pending, info.num_redelivered) for name, info in infos.items() if info.num_pending or info.num_ack_pending}
            if not left or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.3)
    finally:
        await client.close()
    assert left == {}, "(pending, awaiting ack, redelivered) per durable"
    assert {name: info.num_redelivered for name, info in infos.items() if info.num_redelivered} == {}


async def test_no_poison_starts_a_run_and_no_service_restarts(
    fault_admin: AsyncClient, fault_infra: Infra, fault_stack: Stack, outcome: Outcome,
) -> None:
    assert await count(fault_infra, "SELECT count(*) FROM runs") == outcome.runs_before + 1
    assert await count(fault_infra, "SELECT count(*) FROM run_results WHERE run_id <> $1", uuid.UUID(outcome.run["id"])) == 0
    assert [name for name in SERVICES if not fault_stack.is_running(name)] == []
    assert outcome.not_ready == []
    services = (await fault_admin.get("/api/services")).json()
    assert sorted(s["service"] for s in services) == sorted(SERVICES)
    assert [(s["service"], s["restarts"], s["problem"]) for s in services if s["restarts"] or not s["ready"]] == []
