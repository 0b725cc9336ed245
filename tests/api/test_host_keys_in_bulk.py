"""Admins pin many devices' SSH host keys at once: from a known_hosts file, or with the devices in
an import (where an operator's row with a key fails). One device at a time is in
test_host_keys.py."""

from datetime import UTC, datetime, timedelta

from httpx import AsyncClient

from tests.api.trust import create_device_at, detail, host_key, unique_address
from tests.fixtures.factories import unique


class TestKnownHosts:
    async def test_lines_pin_devices_by_name_address_and_port_and_report_the_rest(
        self, admin: AsyncClient
    ) -> None:
        by_name = await create_device_at(admin)
        by_address = await create_device_at(admin)
        off_22 = await create_device_at(admin, port=2222)
        untouched = await create_device_at(admin, port=2222)
        keys = [host_key() for _ in range(3)]
        stranger = f"{unique('nowhere')}.example"
        text = "\n".join(
            [
                "# from ssh-keyscan",
                f"{by_name['hostname'].upper()} {keys[0].openssh()}",
                f"{stranger},{by_address['ip_address']} {keys[1].openssh()} comment",
                "",
                f"[{off_22['ip_address']}]:2222 {keys[2].openssh()}",
                # port 22: not the device on 2222
                f"{untouched['ip_address']} {host_key().openssh()}",
            ]
        )
        response = await admin.post("/api/devices/host-keys", json={"known_hosts": text})
        assert response.status_code == 200, response.text
        pinned = {p["device_id"]: p["fingerprint"] for p in response.json()["pinned"]}
        assert pinned == {
            by_name["id"]: keys[0].fingerprint,
            by_address["id"]: keys[1].fingerprint,
            off_22["id"]: keys[2].fingerprint,
        }
        assert response.json()["unmatched"] == [stranger, untouched["ip_address"]]
        for device, key in ((by_name, keys[0]), (by_address, keys[1]), (off_22, keys[2])):
            shown = (await detail(admin, device))["host_key"]
            assert (shown["status"], shown["fingerprint"], shown["pinned_by"]) == (
                "pinned",
                key.fingerprint,
                "admin",
            )
        assert (await detail(admin, untouched))["host_key"]["status"] == "none"

    async def test_of_several_keys_for_a_device_ed25519_is_pinned(self, admin: AsyncClient) -> None:
        device = await create_device_at(admin)
        rsa, ed25519 = host_key("ssh-rsa"), host_key("ssh-ed25519")
        text = (
            f"{device['ip_address']} {rsa.openssh()}\n{device['ip_address']} {ed25519.openssh()}\n"
        )
        response = await admin.post("/api/devices/host-keys", json={"known_hosts": text})
        assert response.json()["pinned"] == [
            {
                "device_id": device["id"],
                "hostname": device["hostname"],
                "fingerprint": ed25519.fingerprint,
            }
        ]

    async def test_a_malformed_line_is_422_with_its_number_and_pins_nothing(
        self, admin: AsyncClient
    ) -> None:
        device = await create_device_at(admin)
        text = (
            f"{device['hostname']} {host_key().openssh()}\n\n"
            f"{device['ip_address']} ssh-ed25519 ###\n"
        )
        response = await admin.post("/api/devices/host-keys", json={"known_hosts": text})
        assert response.status_code == 422
        assert "line 3" in response.json()["error"]
        assert (await detail(admin, device))["host_key"]["status"] == "none"


class TestImport:
    async def test_an_admin_import_pins_keys_by_import(self, admin: AsyncClient) -> None:
        key, hostname = host_key(), unique("imp")
        csv = (
            "hostname,ip_address,device_type,host_key\n"
            f"{hostname},{unique_address()},cisco_ios,{key.openssh()} "
            "a comment\n"
        )
        response = await admin.post(
            "/api/devices/import", content=csv, headers={"Content-Type": "text/csv"}
        )
        assert response.json()["created"] == 1, response.text
        device = (await admin.get("/api/devices", params={"q": hostname})).json()["items"][0]
        assert (
            device["host_key"]["status"],
            device["host_key"]["fingerprint"],
            device["host_key"]["pinned_by"],
        ) == (
            "pinned",
            key.fingerprint,
            "import",
        )
        assert datetime.now(UTC) - datetime.fromisoformat(
            device["host_key"]["pinned_at"]
        ) < timedelta(minutes=1)

    async def test_an_operator_row_with_a_host_key_fails_and_the_others_are_created(
        self, operator: AsyncClient
    ) -> None:
        with_key, without = unique("imp"), unique("imp")
        rows = [
            {
                "hostname": with_key,
                "ip_address": unique_address(),
                "device_type": "cisco_ios",
                "host_key": host_key().openssh(),
            },
            {"hostname": without, "ip_address": unique_address(), "device_type": "cisco_ios"},
        ]
        report = (await operator.post("/api/devices/import", json={"devices": rows})).json()
        assert [r["status"] for r in report["rows"]] == ["failed", "created"]
        assert "only an admin may pin host keys" in report["rows"][0]["error"]

    async def test_an_invalid_key_fails_its_row(self, admin: AsyncClient) -> None:
        rows = [
            {
                "hostname": unique("imp"),
                "ip_address": unique_address(),
                "device_type": "cisco_ios",
                "host_key": "ssh-ed25519 AAAA",
            }
        ]
        report = (await admin.post("/api/devices/import", json={"devices": rows})).json()
        assert report["rows"][0]["status"] == "failed"
        assert report["rows"][0]["error"].startswith("host_key: ")
