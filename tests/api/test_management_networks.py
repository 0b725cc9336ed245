"""Management networks: once an admin lists any, devices must live in one of them."""

from collections.abc import AsyncIterator

import pytest
from httpx import AsyncClient

from tests.api.trust import audit_lines, create_device_at, wait_for
from tests.fixtures.factories import unique
from tests.fixtures.infra import Infra

NETWORKS = [
    {"cidr": "10.0.0.0/8", "description": "lab"},
    {"cidr": "192.168.0.0/16", "description": ""},
]
EXPECTED_LIST = ["10.0.0.0/8", "192.168.0.0/16"]
OUTSIDE = "172.31.9.9"


@pytest.fixture(autouse=True)
async def no_networks_after(admin: AsyncClient) -> AsyncIterator[None]:
    """The list is global: every other test creates devices wherever it likes."""
    yield
    assert (await admin.put("/api/management-networks", json={"networks": []})).status_code == 200


async def put_networks(admin: AsyncClient, networks: list[dict]) -> dict:
    response = await admin.put("/api/management-networks", json={"networks": networks})
    assert response.status_code == 200, response.text
    return response.json()


def assert_outside(response, address: str = OUTSIDE) -> None:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["detail"] == (
        f"{address} is outside the management networks (10.0.0.0/8, "
        "192.168.0.0/16): an admin must add its network first"
    )
    assert body["management_networks"] == EXPECTED_LIST
    assert body["error"] == body["detail"]


class TestTheList:
    async def test_empty_enforces_nothing(self, viewer: AsyncClient, operator: AsyncClient) -> None:
        body = (await viewer.get("/api/management-networks")).json()
        assert body == {"networks": [], "enforced": False, "devices_outside": []}
        await create_device_at(operator, OUTSIDE)

    async def test_put_replaces_and_answers_like_get(
        self, admin: AsyncClient, viewer: AsyncClient
    ) -> None:
        body = await put_networks(
            admin, [{"cidr": "10.0.0.0/8", "description": "old"}, {"cidr": "172.16.0.0/12"}]
        )
        first = {n["cidr"]: n for n in body["networks"]}
        body = await put_networks(
            admin,
            [
                {"cidr": " 10.0.0.0/8 ", "description": "lab"},
                {"cidr": "2001:db8::/32", "description": "v6"},
            ],
        )
        assert [(n["cidr"], n["description"]) for n in body["networks"]] == [
            ("10.0.0.0/8", "lab"),
            ("2001:db8::/32", "v6"),
        ]
        kept = body["networks"][0]
        assert (kept["id"], kept["created_at"]) == (
            first["10.0.0.0/8"]["id"],
            first["10.0.0.0/8"]["created_at"],
        )
        assert body["enforced"] is True
        assert (await viewer.get("/api/management-networks")).json() == body

    async def test_devices_outside_are_listed(self, admin: AsyncClient) -> None:
        inside, outside = (
            await create_device_at(admin, "10.1.2.3"),
            await create_device_at(admin, OUTSIDE),
        )
        body = await put_networks(admin, NETWORKS)
        listed = {d["id"]: d for d in body["devices_outside"]}
        assert listed[outside["id"]] == {
            "id": outside["id"],
            "hostname": outside["hostname"],
            "ip_address": OUTSIDE,
        }
        assert inside["id"] not in listed

    async def test_an_address_with_host_bits_is_422_with_the_network_meant(
        self, admin: AsyncClient
    ) -> None:
        response = await admin.put(
            "/api/management-networks", json={"networks": [{"cidr": "10.0.0.1/24"}]}
        )
        assert response.status_code == 422
        assert (
            response.json()["error"] == "10.0.0.1/24 has host bits set: did you mean 10.0.0.0/24?"
        )
        assert (await admin.get("/api/management-networks")).json()["networks"] == []

    @pytest.mark.parametrize("cidr", ["10.0.0.0/33", "not-a-network", "10.0.0.0/8 extra"])
    async def test_what_is_not_a_network_is_422(self, admin: AsyncClient, cidr: str) -> None:
        response = await admin.put("/api/management-networks", json={"networks": [{"cidr": cidr}]})
        assert response.status_code == 422
        assert "is not a network" in response.json()["error"]

    async def test_a_network_twice_is_422(self, admin: AsyncClient) -> None:
        response = await admin.put(
            "/api/management-networks",
            json={"networks": [{"cidr": "10.0.0.0/8"}, {"cidr": "10.0.0.0/8"}]},
        )
        assert response.status_code == 422
        assert "listed twice" in response.json()["error"]

    async def test_only_admins_change_it_and_it_is_audited(
        self, admin: AsyncClient, operator: AsyncClient, infra: Infra
    ) -> None:
        assert (
            await operator.put("/api/management-networks", json={"networks": NETWORKS})
        ).status_code == 403
        async with audit_lines(infra) as lines:
            await put_networks(admin, NETWORKS)
            line = await wait_for(lines, "management_networks.replaced")
        assert (line["extra"]["by"], line["extra"]["networks"]) == ("admin", 2)
        assert "10.0.0.0/8, 192.168.0.0/16" in line["message"]


class TestDevicesOutside:
    async def test_create_is_422_with_the_networks(
        self, admin: AsyncClient, operator: AsyncClient
    ) -> None:
        await put_networks(admin, NETWORKS)
        hostname = unique("out")
        response = await operator.post(
            "/api/devices",
            json={"hostname": hostname, "ip_address": OUTSIDE, "device_type": "cisco_ios"},
        )
        assert_outside(response)
        assert (await operator.get("/api/devices", params={"q": hostname})).json()["total"] == 0
        await create_device_at(operator, "192.168.7.7")

    async def test_update_to_an_outside_address_is_422_and_other_changes_pass(
        self, admin: AsyncClient, operator: AsyncClient
    ) -> None:
        device = await create_device_at(operator, "10.9.9.9")
        await put_networks(admin, NETWORKS)
        assert_outside(
            await operator.patch(f"/api/devices/{device['id']}", json={"ip_address": OUTSIDE})
        )
        response = await operator.patch(f"/api/devices/{device['id']}", json={"port": 2022})
        assert (response.status_code, response.json()["ip_address"]) == (200, "10.9.9.9")

    async def test_an_import_with_a_row_outside_creates_nothing(
        self, admin: AsyncClient, operator: AsyncClient
    ) -> None:
        await put_networks(admin, NETWORKS)
        inside, outside = unique("imp"), unique("imp")
        rows = [
            {"hostname": inside, "ip_address": "10.3.3.3", "device_type": "cisco_ios"},
            {"hostname": outside, "ip_address": OUTSIDE, "device_type": "cisco_ios"},
        ]
        response = await operator.post("/api/devices/import", json={"devices": rows})
        assert_outside(response, f"{OUTSIDE} (row 2)")
        assert (await operator.get("/api/devices", params={"q": inside})).json()["total"] == 0

    async def test_a_reachability_check_is_422(
        self, admin: AsyncClient, operator: AsyncClient
    ) -> None:
        device = await create_device_at(operator, OUTSIDE)
        await put_networks(admin, NETWORKS)
        assert_outside(await operator.post(f"/api/devices/{device['id']}/reachability"))
        await put_networks(admin, [])
        assert (await operator.post(f"/api/devices/{device['id']}/reachability")).status_code == 202
