"""A remote site's collector in its own network namespace: its only link is a veth to the test
host, where it reaches NATS and its site's device (through proxies on the host's end) and nothing
else, PostgreSQL included. It has no database url and no credential key, and backs up its site's
device. The site's key is rotated first (the previous module registered the site)."""

import asyncio
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from httpx import AsyncClient
from netraven_devstack.service_set import ServiceSet
from netraven_lab.lab import Lab
from netraven_worker.site_key import generate
from sqlalchemy.engine import make_url

from tests.e2e.runs import run_job
from tests.e2e.site_namespace import (
    HOST_ADDRESS,
    SiteNamespace,
    namespaces_unavailable,
    site_namespace,
)
from tests.e2e.test_remote_sites import SITE_B, collector_env, started_by  # noqa: F401  (fixture)
from tests.fixtures.factories import (
    create_credential,
    create_device,
    create_job,
    register_site,
    unique,
)
from tests.fixtures.infra import Infra
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD
from tests.fixtures.stack import Stack
from tests.fixtures.tcp_proxy import TcpProxy

pytestmark = pytest.mark.e2e
COLLECTOR_ID = "collector-in-namespace"


@pytest.fixture(scope="module")
def namespace() -> Iterator[SiteNamespace]:
    if why := namespaces_unavailable():
        pytest.skip(why)
    with site_namespace() as created:
        yield created


@pytest.fixture(scope="module")
async def proxies(
    infra: Infra, lab: Lab, namespace: SiteNamespace
) -> AsyncIterator[dict[str, int]]:
    """The host's end of the veth: NATS and one lab device, nothing else."""
    nats_port = make_url(infra.nats_url.replace("tls://", "nats://")).port
    assert nats_port is not None
    nats = TcpProxy("127.0.0.1", nats_port, listen_host=HOST_ADDRESS)
    device = TcpProxy("127.0.0.1", lab.profiles[0].port, listen_host=HOST_ADDRESS)
    for proxy in (nats, device):
        await proxy.start()
    yield {"nats": nats.port, "device": device.port}
    for proxy in (nats, device):
        await proxy.stop()


@pytest.fixture(scope="module")
async def site_b_device(
    stack_admin: AsyncClient, tmp_path_factory: pytest.TempPathFactory, proxies: dict[str, int]
) -> tuple[dict, Path]:
    """Site B with a new key (registered or rotated), and a device at the host's end of the veth."""
    key_file = tmp_path_factory.mktemp("namespace-key") / "site.key"
    public_key = generate(key_file)
    site = await register_site(stack_admin, SITE_B, public_key)
    tag = unique("netns")
    await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    device = await create_device(
        stack_admin, proxies["device"], tag, hostname=unique("netns"), ip_address=HOST_ADDRESS
    )
    moved = await stack_admin.patch(f"/api/devices/{device['id']}", json={"site_id": site["id"]})
    assert moved.status_code == 200, moved.text
    return device, key_file


@pytest.fixture(scope="module")
async def collector(
    stack: Stack,
    namespace: SiteNamespace,
    proxies: dict[str, int],
    site_b_device: tuple[dict, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[None]:
    """Stopped from a thread: the proxies it drains through run on this event loop."""
    env = collector_env(stack, SITE_B, site_b_device[1], port=18102) | {
        "NETRAVEN_NATS_URL": f"tls://nats:{proxies['nats']}",
        "NETRAVEN_WORKER_ID": COLLECTOR_ID,
    }
    services = ServiceSet(tmp_path_factory.mktemp("namespace-collector"))
    services.start(
        "collector-in-namespace", namespace.command(sys.executable, "-m", "netraven_worker"), env
    )
    yield
    await asyncio.to_thread(services.stop_all)


class TestACollectorInItsOwnNetwork:
    def test_the_namespace_reaches_no_database(
        self, infra: Infra, namespace: SiteNamespace
    ) -> None:
        database = make_url(infra.database_url)
        probe = f"import socket; socket.create_connection(('127.0.0.1', {database.port}), 2)"
        reached = subprocess.run(
            namespace.command(sys.executable, "-c", probe), check=False, capture_output=True
        )
        assert reached.returncode != 0
        assert b"ConnectionRefusedError" in reached.stderr
        with socket.create_connection(("127.0.0.1", database.port), 2):  # the host itself does
            pass

    async def test_it_backs_up_its_sites_device(
        self,
        stack_admin: AsyncClient,
        collector: None,
        site_b_device: tuple[dict, Path],
        started_by: dict[str, str],  # noqa: F811
    ) -> None:
        device = site_b_device[0]
        run = await run_job(stack_admin, (await create_job(stack_admin, [device["id"]]))["id"])
        assert run["status"] == "succeeded", run
        assert started_by[device["id"]] == COLLECTOR_ID
