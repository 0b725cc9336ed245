"""Remote-site collectors, end to end: two sites registered with keys they generated, a collector
per site started as a real worker process with NO database url and NO credential key (its
environment scrubbed) and its own site identity on the bus, lab devices at each site and one
central. One run of all of them: each site's collector backs up exactly its site's devices, the
central worker the central one; a site's identity is refused the other site's requests; a sealed
request the collector's key does not open is rejected and recorded."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import nats
import pytest
from httpx import AsyncClient
from nats.aio.msg import Msg
from netraven_devstack.ports import free_port
from netraven_devstack.service_set import ServiceSet
from netraven_lab.lab import Lab
from netraven_shared.events import SiteJobDispatched, subjects
from netraven_shared.events.site_dispatch import SiteRequest, site_subject
from netraven_shared.site_seal import new_private_key, public_key_of, seal
from netraven_worker.site_key import generate

from tests.bus.identity_clients import Violations, connect, refused, requires_credentials
from tests.e2e.runs import run_job
from tests.fixtures.factories import (
    create_credential,
    create_device,
    create_job,
    register_site,
    unique,
)
from tests.fixtures.infra import TEST_SITES
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD
from tests.fixtures.stack import Stack

pytestmark = pytest.mark.e2e
SITE_A, SITE_B = TEST_SITES
# What a central worker holds and a collector must not: the inventory and the credential key.
SCRUBBED_PREFIXES = ("NETRAVEN_DATABASE_URL", "NETRAVEN_CREDENTIAL_KEY")


def collector_env(stack: Stack, site: str, key_file: Path, port: int) -> dict[str, str]:
    assert stack.infra.credentials is not None
    kept = {k: v for k, v in stack.env.items() if not k.startswith(SCRUBBED_PREFIXES)}
    return (
        kept
        | stack.infra.credentials.env_for(f"site-{site}")
        | {
            "NETRAVEN_WORKER_SITE": site,
            "NETRAVEN_SITE_KEY_FILE": str(key_file),
            "NETRAVEN_WORKER_ID": f"collector-{site}",
            "NETRAVEN_HEALTH_PORT": str(port),
        }
    )


@pytest.fixture(scope="module")
def site_keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """Each site's key pair, generated as an operator does at the site."""
    root = tmp_path_factory.mktemp("site-keys")
    return {site: (root / f"{site}.key", generate(root / f"{site}.key")) for site in TEST_SITES}


@pytest.fixture(scope="module")
def collectors(
    stack: Stack, site_keys: dict[str, tuple[Path, str]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, dict[str, str]]]:
    requires_credentials(stack.infra)
    services = ServiceSet(tmp_path_factory.mktemp("collectors"))
    envs = {}
    try:
        for site in TEST_SITES:
            port = free_port()
            envs[site] = collector_env(stack, site, site_keys[site][0], port)
            services.start_module(
                f"collector-{site}",
                "netraven_worker",
                envs[site],
                f"http://127.0.0.1:{port}/health",
            )
        services.wait_healthy(timeout=45)
        yield envs
    finally:
        services.stop_all()


@pytest.fixture(scope="module")
async def fleet(
    stack_admin: AsyncClient, lab: Lab, site_keys: dict[str, tuple[Path, str]]
) -> dict[str, list[dict]]:
    """Two devices at site A, one at site B, one central; one credential for all."""
    tag = unique("sites")
    await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    site_ids = {}
    for site in TEST_SITES:
        site_ids[site] = (await register_site(stack_admin, site, site_keys[site][1]))["id"]
    placed: dict[str, list[dict]] = {SITE_A: [], SITE_B: [], "central": []}
    for profile, where in zip(lab.profiles, (SITE_A, SITE_A, SITE_B, "central"), strict=True):
        device = await create_device(stack_admin, profile.port, tag, hostname=unique(where))
        if where != "central":
            response = await stack_admin.patch(
                f"/api/devices/{device['id']}", json={"site_id": site_ids[where]}
            )
            assert response.status_code == 200, response.text
        placed[where].append(device)
    return placed


@pytest.fixture
async def started_by(stack: Stack) -> AsyncIterator[dict[str, str]]:
    """Device id → the worker id of each `DeviceBackupStarted` seen from now on."""
    seen: dict[str, str] = {}

    async def note(message: Msg) -> None:
        event = json.loads(message.data)
        seen[event["device_id"]] = event["worker_id"]

    client = await nats.connect(**stack.infra.nats_options())
    await client.subscribe(subjects.BACKUP_STARTED, cb=note)
    yield seen
    await client.close()


class TestRemoteSites:
    async def test_each_site_collector_backs_up_exactly_its_sites_devices(
        self,
        stack_admin: AsyncClient,
        collectors: dict[str, dict[str, str]],
        fleet: dict[str, list[dict]],
        started_by: dict[str, str],
    ) -> None:
        for env in collectors.values():
            assert not [name for name in env if name.startswith(SCRUBBED_PREFIXES)]
        every = [device["id"] for devices in fleet.values() for device in devices]
        run = await run_job(stack_admin, (await create_job(stack_admin, every))["id"])
        assert run["status"] == "succeeded", run
        for site in TEST_SITES:
            for device in fleet[site]:
                assert started_by[device["id"]] == f"collector-{site}"
                versions = (await stack_admin.get(f"/api/devices/{device['id']}/configs")).json()
                assert len(versions) >= 1
        (central,) = fleet["central"]
        assert not started_by[central["id"]].startswith("collector-")

    async def test_a_sites_identity_is_refused_the_other_sites_requests(
        self, stack: Stack, collectors: dict[str, dict[str, str]]
    ) -> None:
        pull = f"$JS.API.CONSUMER.MSG.NEXT.NETRAVEN_JOBS.workers-site-{SITE_A}"
        violations = Violations()
        client = await connect(stack.infra, f"site-{SITE_B}", violations)
        try:
            assert await refused(violations, lambda: client.subscribe(site_subject(SITE_A)))
            violations.seen.clear()
            assert await refused(
                violations, lambda: client.request(pull, b'{"batch": 1}', timeout=1)
            )
        finally:
            await client.close()

    async def test_a_request_sealed_to_another_key_is_rejected_and_recorded(
        self,
        stack: Stack,
        stack_admin: AsyncClient,
        collectors: dict[str, dict[str, str]],
        fleet: dict[str, list[dict]],
    ) -> None:
        device = fleet[SITE_A][0]
        run_id = uuid.uuid4()
        request = SiteRequest(
            run_id=run_id,
            device_id=device["id"],
            hostname=device["hostname"],
            address="127.0.0.1",
            port=device["port"],
            device_type="cisco_ios",
        )
        forged = SiteJobDispatched(
            run_id=run_id,
            device_id=device["id"],
            trigger="bus",
            site=SITE_A,
            sealed=seal(request, public_key_of(new_private_key())),
        )
        client = await nats.connect(**stack.infra.nats_options())
        try:
            await client.jetstream().publish(forged.published_on, forged.model_dump_json().encode())
        finally:
            await client.close()
        params = {"subject": site_subject(SITE_A), "service": f"site-{SITE_A}"}
        for _ in range(50):
            rejections = (await stack_admin.get("/api/bus/rejections", params=params)).json()
            if rejections["items"]:
                break
            await asyncio.sleep(0.2)
        assert "does not open with this site's key" in rejections["items"][0]["reason"]
