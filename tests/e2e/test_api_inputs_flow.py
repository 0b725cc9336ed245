"""Devices whose driver reads the config without a CLI, backed up by the whole stack: the running
worker picks each device's input from its driver (the PAN-OS XML API over HTTPS, Junos NETCONF),
not Netmiko's SSH session for every device."""

from collections.abc import AsyncIterator, Iterator

import pytest
from httpx import AsyncClient
from netraven_lab import NetconfDevice, PanosApi

from tests.e2e.runs import back_up
from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.lab import LAB_PASSWORD, LAB_USERNAME

pytestmark = pytest.mark.e2e


@pytest.fixture
def panos() -> Iterator[PanosApi]:
    with PanosApi(LAB_USERNAME, LAB_PASSWORD) as api:
        yield api


@pytest.fixture
async def junos() -> AsyncIterator[NetconfDevice]:
    async with NetconfDevice(LAB_USERNAME, LAB_PASSWORD) as device:
        yield device


async def backed_up(client: AsyncClient, port: int, device_type: str) -> dict:
    tag = unique("api-input")
    await create_credential(client, tag, LAB_PASSWORD, username=LAB_USERNAME)
    device = await create_device(client, port, tag, device_type=device_type)
    run = await back_up(client, device["id"])
    assert run["results"][0]["status"] == "succeeded", run
    return device


async def test_a_panos_firewall_is_backed_up_through_its_xml_api(
    stack_admin: AsyncClient, panos: PanosApi
) -> None:
    await backed_up(stack_admin, panos.port, "paloalto_panos_api")

    assert panos.keygen_attempts == [(LAB_USERNAME, LAB_PASSWORD)]


async def test_a_junos_device_is_backed_up_over_netconf(
    stack_admin: AsyncClient, junos: NetconfDevice
) -> None:
    device = await backed_up(stack_admin, junos.port, "juniper_junos_netconf")

    detail = (await stack_admin.get(f"/api/devices/{device['id']}")).json()
    assert detail["host_key"]["status"] == "pinned"
    assert junos.auth_attempts == [(LAB_USERNAME, LAB_PASSWORD)]
