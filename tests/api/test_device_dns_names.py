"""A device's address is an IPv4/IPv6 address or a DNS name, in the api and its import."""

import pytest
from httpx import AsyncClient

from tests.fixtures.factories import unique


def device(address: str) -> dict:
    return {"hostname": unique("dns"), "ip_address": address, "device_type": "cisco_ios"}


async def created_address(client: AsyncClient, address: str) -> str:
    response = await client.post("/api/devices", json=device(address))
    assert response.status_code == 201, response.text
    return response.json()["ip_address"]


class TestAccepted:
    @pytest.mark.parametrize(
        ("given", "stored"),
        [
            ("core-sw-01.example.net", "core-sw-01.example.net"),
            ("Edge-RTR.Example.NET.", "edge-rtr.example.net"),
            ("localhost", "localhost"),
            ("xn--bcher-kva.example", "xn--bcher-kva.example"),
            ("2001:0db8:0000::0001", "2001:db8::1"),
            ("192.0.2.10", "192.0.2.10"),
        ],
    )
    async def test_addresses_and_names_are_stored_canonical(
        self, operator: AsyncClient, given: str, stored: str
    ) -> None:
        assert await created_address(operator, given) == stored

    async def test_a_name_of_253_characters(self, operator: AsyncClient) -> None:
        name = ".".join(["a" * 63] * 3 + ["b" * 61])
        assert len(name) == 253
        assert await created_address(operator, name) == name

    async def test_an_update_to_a_name(self, operator: AsyncClient) -> None:
        response = await operator.post("/api/devices", json=device("10.1.1.1"))
        changed = await operator.patch(
            f"/api/devices/{response.json()['id']}", json={"ip_address": "sw.example.org"}
        )
        assert changed.status_code == 200, changed.text
        assert changed.json()["ip_address"] == "sw.example.org"


class TestRefused:
    @pytest.mark.parametrize(
        "address",
        [
            "300.1.1.1",  # a mistyped IPv4 address, not a name
            "sw_01.example.net",
            "-edge.example.net",
            "edge-.example.net",
            "two..dots.example",
            "a" * 64 + ".example",
            ".".join(["a" * 63] * 4),  # 255 characters
            "spaces in.name",
            "sw.example.net:22",
        ],
    )
    async def test_what_is_neither_is_422_saying_what_is_expected(
        self, operator: AsyncClient, address: str
    ) -> None:
        response = await operator.post("/api/devices", json=device(address))
        assert response.status_code == 422, response.text
        [error] = response.json()["detail"]
        assert error["field"] == "ip_address"
        if len(address) <= 255:
            assert "neither an IP address nor a DNS name" in error["message"]


class TestImport:
    async def test_rows_given_by_name_are_created_and_bad_names_reported(
        self, operator: AsyncClient
    ) -> None:
        good, bad = unique("dns-imp"), unique("dns-imp")
        rows = [
            {"hostname": good, "ip_address": "rtr.example.net", "device_type": "cisco_ios"},
            {"hostname": bad, "ip_address": "rtr_1.example.net", "device_type": "cisco_ios"},
        ]
        response = await operator.post("/api/devices/import", json={"devices": rows})
        report = response.json()
        assert (report["created"], report["failed"]) == (1, 1), report
        assert "neither an IP address nor a DNS name" in report["rows"][1]["error"]


class TestManagementNetworks:
    async def test_a_name_is_left_to_the_worker_and_never_listed_outside(
        self, admin: AsyncClient
    ) -> None:
        named = await admin.post("/api/devices", json=device("sw.example.net"))
        outside = await admin.post("/api/devices", json=device("172.31.0.2"))
        put = await admin.put(
            "/api/management-networks", json={"networks": [{"cidr": "10.0.0.0/8"}]}
        )
        assert put.status_code == 200, put.text
        try:
            ids = {d["id"] for d in put.json()["devices_outside"]}
            assert outside.json()["id"] in ids
            assert named.json()["id"] not in ids
            another = await admin.post("/api/devices", json=device("rtr.example.net"))
            assert another.status_code == 201, another.text
            refused = await admin.post("/api/devices", json=device("172.31.0.1"))
            assert refused.status_code == 422
        finally:
            await admin.put("/api/management-networks", json={"networks": []})
