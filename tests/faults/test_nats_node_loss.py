"""A 3-node JetStream cluster, every stream, KV bucket and object store at 3 replicas, loses a node
to SIGKILL in the middle of a run: every device still ends backed up exactly once (one
DeviceBackedUp on the stream, one config version, one git commit touching its file), every log line
heard on the bus is stored, and the node, started again, catches up.

Real processes: three nats-servers (`nats_cluster`), the six services on them with
NETRAVEN_STREAM_REPLICAS=3, a database of their own, simulated devices that think a little before
each answer so the run is still going when the node dies. Once the node that leads the dispatch
stream (the workers' queue), once the JetStream meta leader.
"""

import asyncio
import subprocess
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import nats
import pytest
from httpx import AsyncClient
from nats.aio.client import Client as NatsClient
from netraven_devstack.nats_cluster import NatsCluster
from netraven_devstack.nats_server import EmbeddedNats
from netraven_lab.lab import Lab
from netraven_lab.profiles import make_lab_profiles
from netraven_shared.bus_streams import BACKUPS_STREAM, JOBS_STREAM
from netraven_shared.events import DeviceBackedUp, subjects
from netraven_shared.key_value import open_bucket
from sqlalchemy.engine import make_url

from tests.e2e.runs import wait_for
from tests.faults.bus_watch import BusWatch
from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.infra import Infra
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME
from tests.fixtures.stack import Stack, admin_client, running_stack

pytestmark = pytest.mark.e2e
REPLICAS = 3
DEVICES_PER_RUN = 24
COMMAND_DELAY_SECONDS = 0.15
KILL_AFTER_BACKUPS = 4
FINISH_WITHIN_SECONDS = 90  # it takes 10-30 s; the rest is room for a loaded machine
CATCH_UP_SECONDS = 30


@pytest.fixture(scope="module")
def cluster_stack(
    cluster_infra: Infra, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    with running_stack(
        cluster_infra,
        tmp_path_factory.mktemp("cluster-stack"),
        NETRAVEN_STREAM_REPLICAS=str(REPLICAS),
    ) as stack:
        yield stack


@pytest.fixture(scope="module")
async def cluster_admin(cluster_stack: Stack) -> AsyncIterator[AsyncClient]:
    async with admin_client(cluster_stack) as client:
        yield client


@pytest.fixture(scope="module")
async def slow_lab() -> AsyncIterator[Lab]:
    profiles = make_lab_profiles(
        2 * DEVICES_PER_RUN,
        username=LAB_USERNAME,
        password=LAB_PASSWORD,
        enable_secret=LAB_ENABLE,
        delay=COMMAND_DELAY_SECONDS,
    )
    async with Lab(profiles) as lab:
        yield lab


@pytest.fixture
async def bus(cluster_infra: Infra) -> AsyncIterator[NatsClient]:
    client = await nats.connect(**cluster_infra.nats_options())
    try:
        yield client
    finally:
        await client.close()


async def doomed_node(cluster: NatsCluster, bus: NatsClient, whom: str) -> EmbeddedNats:
    if whom == "dispatch stream leader":
        leader = (await bus.jetstream().stream_info(JOBS_STREAM)).cluster.leader
    else:
        monitor = f"http://127.0.0.1:{cluster.nodes[0].monitor_port}/jsz"
        async with httpx.AsyncClient(timeout=5) as monitoring:
            leader = (await monitoring.get(monitor)).json()["meta_cluster"]["leader"]
    return cluster.node_named(leader)


async def backed_up_events(bus: NatsClient, device_ids: set[str]) -> Counter[str]:
    """DeviceBackedUp events per device, every one the replicated stream holds read back."""
    js = bus.jetstream()
    info = await js.stream_info(BACKUPS_STREAM, subjects_filter=subjects.BACKUP_SUCCEEDED)
    left = (info.state.subjects or {}).get(subjects.BACKUP_SUCCEEDED, 0)
    reader = await js.pull_subscribe(subjects.BACKUP_SUCCEEDED, stream=BACKUPS_STREAM)
    seen: Counter[str] = Counter()
    try:
        async with asyncio.timeout(CATCH_UP_SECONDS):
            while left:
                for message in await reader.fetch(min(left, 256), timeout=5):
                    await message.ack()
                    left -= 1
                    device_id = str(DeviceBackedUp.model_validate_json(message.data).device_id)
                    seen[device_id] += device_id in device_ids
        return seen
    finally:
        await reader.unsubscribe()


async def stored_rows(
    infra: Infra, device_ids: set[str], log_ids: set[str]
) -> tuple[list[asyncpg.Record], int]:
    """The config versions of the devices, and how many of the log lines are stored (waiting a
    while for the log-collector to write them all)."""
    connection = await asyncpg.connect(
        make_url(infra.database_url)
        .set(drivername="postgresql")
        .render_as_string(hide_password=False)
    )
    try:
        versions = await connection.fetch(
            "SELECT device_id::text, path FROM config_versions WHERE device_id = ANY($1::uuid[])",
            list(device_ids),
        )
        deadline = time.monotonic() + CATCH_UP_SECONDS
        while True:
            logs = await connection.fetchval(
                "SELECT count(*) FROM logs WHERE event_id = ANY($1::uuid[])", list(log_ids)
            )
            if logs == len(log_ids) or time.monotonic() > deadline:
                return versions, logs
            await asyncio.sleep(0.5)
    finally:
        await connection.close()


def commits_touching(repo: Path) -> Counter[str]:
    """How many commits of the config repository touched each file."""
    names = subprocess.run(
        ["git", "-C", str(repo), "log", "--name-only", "--format="],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return Counter(name for name in names.splitlines() if name)


async def last_sequences(bus: NatsClient) -> dict[str, int]:
    """Every stream's last sequence, as its leader has it."""
    js = bus.jetstream()
    names = [str(info.config.name) for info in await js.streams_info()]
    return {name: (await js.stream_info(name)).state.last_seq for name in names}


async def behind(node: EmbeddedNats, wanted: dict[str, int]) -> dict[str, tuple[int, int]]:
    """The streams `node` holds fewer messages of than `wanted`, once it has caught up on all of
    them (or at the deadline): what its own monitoring port says it stores."""
    deadline = time.monotonic() + CATCH_UP_SECONDS
    async with httpx.AsyncClient(timeout=5) as monitoring:
        while True:
            jsz = await monitoring.get(
                f"http://127.0.0.1:{node.monitor_port}/jsz", params={"streams": "true"}
            )
            held = {
                stream["name"]: stream["state"]["last_seq"]
                for account in jsz.json().get("account_details") or []
                for stream in account.get("stream_detail") or []
            }
            missing = {
                name: (held.get(name, 0), last)
                for name, last in wanted.items()
                if held.get(name, 0) < last
            }
            if not missing or time.monotonic() > deadline:
                return missing
            await asyncio.sleep(0.5)


@pytest.mark.parametrize("whom", ["dispatch stream leader", "meta leader"])
async def test_a_run_loses_no_device_when_a_nats_node_is_killed(
    whom: str,
    nats_cluster: NatsCluster,
    cluster_infra: Infra,
    cluster_stack: Stack,
    cluster_admin: AsyncClient,
    slow_lab: Lab,
    bus: NatsClient,
) -> None:
    half = (
        slice(0, DEVICES_PER_RUN)
        if whom == "dispatch stream leader"
        else slice(DEVICES_PER_RUN, None)
    )
    tag = unique("cluster")
    await create_credential(cluster_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    device_ids = [
        (await create_device(cluster_admin, profile.port, tag))["id"]
        for profile in slow_lab.profiles[half]
    ]
    job = (
        await cluster_admin.post(
            "/api/jobs", json={"name": unique("node-loss"), "device_ids": device_ids}
        )
    ).json()
    heard = BusWatch(bus)
    await heard.start()
    backed_up = asyncio.Event()
    count = Counter[str]()

    async def on_backed_up(_message) -> None:
        count["seen"] += 1
        if count["seen"] >= KILL_AFTER_BACKUPS:
            backed_up.set()

    await bus.subscribe(subjects.BACKUP_SUCCEEDED, cb=on_backed_up)
    accepted = await cluster_admin.post(f"/api/jobs/{job['id']}/run")
    assert accepted.status_code == 202, accepted.text
    await asyncio.wait_for(backed_up.wait(), timeout=30)

    doomed = await doomed_node(nats_cluster, bus, whom)
    doomed.kill()
    killed_at, backed_up_before = time.monotonic(), count["seen"]
    try:
        assert backed_up_before < DEVICES_PER_RUN, "the run was over before the node died"
        try:
            run = await wait_for(
                cluster_admin, accepted.json()["run_id"], timeout=FINISH_WITHIN_SECONDS
            )
        except AssertionError as unfinished:
            consumer = await bus.jetstream().consumer_info(JOBS_STREAM, "workers")
            raise AssertionError(f"the workers' consumer: {consumer}") from unfinished
        print(
            f"\n{whom} {doomed.server_name} killed after {backed_up_before} backups; run done "
            f"{time.monotonic() - killed_at:.1f} s later; deliveries spent again {heard.spent()}"
        )
        published_meanwhile = await last_sequences(bus)
        assert {JOBS_STREAM, BACKUPS_STREAM} <= set(published_meanwhile), published_meanwhile
    finally:
        # Started again whatever happened: the next case must not begin one node short.
        await asyncio.to_thread(doomed.start)
    lagging = await behind(doomed, published_meanwhile)
    await heard.stop()
    events = await backed_up_events(bus, set(device_ids))
    versions, logs_stored = await stored_rows(cluster_infra, set(device_ids), heard.log_ids)
    commits = commits_touching(Path(cluster_stack.env["NETRAVEN_REPO_PATH"]))

    assert run["status"] == "succeeded", {
        r["hostname"]: (r["status"], r["error"])
        for r in run["results"]
        if r["status"] != "succeeded"
    }
    assert len(run["results"]) == DEVICES_PER_RUN
    assert {d: events[d] for d in device_ids} == dict.fromkeys(device_ids, 1), (
        "DeviceBackedUp per device"
    )
    assert Counter(row["device_id"] for row in versions) == Counter(device_ids), (
        "versions per device"
    )
    assert [commits[row["path"]] for row in versions] == [1] * DEVICES_PER_RUN, "commits per file"
    assert logs_stored == len(heard.log_ids), "log lines heard on the bus but never stored"
    assert lagging == {}, f"{doomed.server_name} did not catch up: (held, last) {lagging}"
    assert [
        name for name in cluster_stack.services.services if not cluster_stack.is_running(name)
    ] == []


async def test_every_stream_bucket_and_store_has_three_replicas(
    cluster_stack: Stack, bus: NatsClient
) -> None:
    names = {str(info.config.name) for info in await bus.jetstream().streams_info()}
    replicas = {
        name: (await bus.jetstream().stream_info(name)).config.num_replicas for name in names
    }
    assert {name.split("_")[0] for name in replicas} >= {"NETRAVEN", "KV", "OBJ"}, replicas
    assert set(replicas.values()) == {REPLICAS}, replicas


async def test_a_bucket_made_with_one_replica_takes_three(bus: NatsClient) -> None:
    js = bus.jetstream()
    name = unique("single-copy")
    await open_bucket(js, name, 60)
    await open_bucket(js, name, 60, replicas=REPLICAS)
    assert (await js.stream_info(f"KV_{name}")).config.num_replicas == REPLICAS
