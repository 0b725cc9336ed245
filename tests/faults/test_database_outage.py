"""PostgreSQL stopped in the middle of a run loses nothing: every consumer that cannot reach it
holds its messages (no delivery spent) and resumes on its own. The run, a `JobRequested` published
during the outage and a scheduled slot that fell due during it all finish within 60 s of the
database being back, and every log line published meanwhile is stored.

A stack of its own (its own PostgreSQL, which the test stops and starts again on the same data
directory and port, its own NATS, the five services) and 36 simulated devices: 30 in the run, 5 in
the scheduled job, 1 for the request from the bus. The outage lasts
NETRAVEN_FAULT_OUTAGE_SECONDS (25 by default: past the stack's 6 s ack wait, long enough for every
consumer to meet it); the 5-minute case is the same test with 300.
"""

import asyncio
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from uuid import UUID

import asyncpg
import nats
import pytest
from httpx import AsyncClient
from nats.aio.client import Client as NatsClient
from netraven_api.runs.bus_requests import bus_run_id
from netraven_devstack.nats_server import EmbeddedNats
from netraven_devstack.ports import free_port
from netraven_devstack.postgres_server import EmbeddedPostgres
from netraven_devstack.service_set import SERVICE_MODULES
from netraven_lab.lab import Lab
from netraven_lab.profiles import make_lab_profiles
from netraven_shared.db.migrate import upgrade
from netraven_shared.events import JobRequested, subjects

from tests.e2e.runs import FINISHED
from tests.faults.bus_watch import BusWatch
from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.infra import Infra
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME
from tests.fixtures.stack import Stack, admin_client, running_stack

pytestmark = pytest.mark.e2e
DEVICES = 30
SCHEDULED_DEVICES = 5
OUTAGE_SECONDS = float(os.environ.get("NETRAVEN_FAULT_OUTAGE_SECONDS", "25"))
BACK_WITHIN_SECONDS = 60


@pytest.fixture(scope="module")
def own_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedPostgres]:
    with EmbeddedPostgres(
        data_dir=tmp_path_factory.mktemp("outage-pg") / "pg", port=free_port(), fast=True
    ) as postgres:
        upgrade(postgres.url)
        yield postgres


@pytest.fixture(scope="module")
def outage_infra(
    infra: Infra, own_postgres: EmbeddedPostgres, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Infra]:
    store = tmp_path_factory.mktemp("outage-nats") / "nats"
    with EmbeddedNats(store_dir=store, port=free_port(), credentials=infra.credentials) as bus:
        yield Infra(database_url=own_postgres.url, nats_url=bus.url, credentials=infra.credentials)


@pytest.fixture(scope="module")
def outage_stack(outage_infra: Infra, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(
        outage_infra, tmp_path_factory.mktemp("outage-stack"), NETRAVEN_TICK_SECONDS="1"
    ) as stack:
        yield stack


@pytest.fixture(scope="module")
async def outage_admin(outage_stack: Stack) -> AsyncIterator[AsyncClient]:
    async with admin_client(outage_stack) as client:
        yield client


@pytest.fixture(scope="module")
async def lab() -> AsyncIterator[Lab]:
    profiles = make_lab_profiles(
        DEVICES + SCHEDULED_DEVICES + 1,
        username=LAB_USERNAME,
        password=LAB_PASSWORD,
        enable_secret=LAB_ENABLE,
    )
    async with Lab(profiles) as running:
        yield running


@pytest.fixture
async def bus(outage_infra: Infra) -> AsyncIterator[NatsClient]:
    client = await nats.connect(**outage_infra.nats_options())
    try:
        yield client
    finally:
        await client.close()


async def finished_run(
    client: AsyncClient, find_run_id: Callable[[], Awaitable[str | None]], deadline: float
) -> dict:
    """The run once finished, polled until `deadline` (monotonic); the api may answer 5xx for a
    moment while its pool reconnects."""
    run: dict = {}
    while time.monotonic() < deadline:
        if (run_id := await find_run_id()) is not None:
            response = await client.get(f"/api/runs/{run_id}")
            if response.status_code == 200 and (run := response.json())["status"] in FINISHED:
                return run
        await asyncio.sleep(0.3)
    raise AssertionError(
        f"a run is not finished {BACK_WITHIN_SECONDS} s after PostgreSQL came back: {run}"
    )


def known(run_id: str) -> Callable[[], Awaitable[str | None]]:
    async def find() -> str | None:
        return run_id

    return find


def first_run_of(client: AsyncClient, job_id: str) -> Callable[[], Awaitable[str | None]]:
    async def find() -> str | None:
        response = await client.get("/api/runs", params={"job_id": job_id})
        items = response.json()["items"] if response.status_code == 200 else []
        return items[0]["id"] if items else None

    return find


async def request_from_the_bus(bus: NatsClient, device_id: str) -> str:
    """Publish a `JobRequested` as another system would; the id of the run the api will make of
    it."""
    request = JobRequested(device_id=UUID(device_id))
    origin = str(request.event_id)
    await bus.jetstream().publish(
        subjects.JOB_REQUESTED, request.model_dump_json().encode(), headers={"Nats-Msg-Id": origin}
    )
    return str(bus_run_id(origin))


def failures_of(run: dict) -> dict[str, tuple[str, str]]:
    return {
        r["hostname"]: (r["status"], r["error"])
        for r in run["results"]
        if r["status"] != "succeeded"
    }


async def missing_log_ids(
    postgres: EmbeddedPostgres, published: set[str], timeout: float = 30
) -> set[str]:
    """The published log lines the log-collector has not stored within `timeout`."""
    connection = await asyncpg.connect(postgres.dsn_for(postgres.database))
    try:
        deadline = time.monotonic() + timeout
        while True:
            stored = {
                str(row["event_id"])
                for row in await connection.fetch(
                    "SELECT event_id FROM logs WHERE event_id = ANY($1::uuid[])", list(published)
                )
            }
            if stored == published or time.monotonic() > deadline:
                return published - stored
            await asyncio.sleep(0.5)
    finally:
        await connection.close()


async def test_work_queued_through_a_postgresql_outage_finishes_once_it_is_back(
    outage_stack: Stack,
    outage_admin: AsyncClient,
    own_postgres: EmbeddedPostgres,
    lab: Lab,
    bus: NatsClient,
) -> None:
    tag = unique("outage")
    await create_credential(outage_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    device_ids = [
        (await create_device(outage_admin, profile.port, tag))["id"] for profile in lab.profiles
    ]
    in_run, in_schedule, from_bus = device_ids[:DEVICES], device_ids[DEVICES:-1], device_ids[-1]
    job = (
        await outage_admin.post(
            "/api/jobs", json={"name": unique("db-outage"), "device_ids": in_run}
        )
    ).json()
    heard = BusWatch(bus)
    await heard.start()

    accepted = await outage_admin.post(f"/api/jobs/{job['id']}/run")
    assert accepted.status_code == 202, accepted.text
    await asyncio.wait_for(heard.backup_started.wait(), timeout=30)
    due_during_outage = {
        "type": "interval",
        "seconds": 3600,
        "start_at": (datetime.now(UTC) + timedelta(seconds=3)).isoformat(),
    }
    scheduled = await outage_admin.post(
        "/api/jobs",
        json={
            "name": unique("due-in-outage"),
            "device_ids": in_schedule,
            "schedule": due_during_outage,
        },
    )
    assert scheduled.status_code == 201, scheduled.text
    own_postgres.stop()
    requested_run_id = await request_from_the_bus(bus, from_bus)
    await asyncio.sleep(OUTAGE_SECONDS)
    own_postgres.start()
    back = time.monotonic()

    deadline = back + BACK_WITHIN_SECONDS
    runs = [
        await finished_run(outage_admin, known(accepted.json()["run_id"]), deadline),
        await finished_run(outage_admin, known(requested_run_id), deadline),
        await finished_run(
            outage_admin, first_run_of(outage_admin, scheduled.json()["id"]), deadline
        ),
    ]
    done_after = time.monotonic() - back
    missing = await missing_log_ids(own_postgres, set(heard.log_ids))
    await heard.stop()
    print(
        f"\n{DEVICES}+{SCHEDULED_DEVICES}+1 devices, PostgreSQL down {OUTAGE_SECONDS:.0f} s; "
        f"every run done {done_after:.1f} s after it was back;"
        f" log lines published {len(heard.log_ids)}, stored {len(heard.log_ids) - len(missing)};"
        f" deliveries spent again {heard.spent()}"
        f" (durables sampled {sorted(heard.most_redelivered)})"
    )
    print("warnings logged:", *heard.warnings, sep="\n  ")
    assert [(run["status"], failures_of(run)) for run in runs] == [("succeeded", {})] * 3
    assert [len(run["results"]) for run in runs] == [DEVICES, 1, SCHEDULED_DEVICES]
    assert not missing, f"{len(missing)} of {len(heard.log_ids)} log lines never stored"
    assert heard.spent() == {}, "the outage spent deliveries"
    assert [name for name in SERVICE_MODULES if not outage_stack.is_running(name)] == [], (
        "a service died during the outage"
    )
