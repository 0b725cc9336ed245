"""Admins decide which SSH host keys devices are trusted with: accept an offered key, pin one, clear
the pin, pin many from a known_hosts file. Operators see the keys and cannot change them."""

from datetime import UTC, datetime, timedelta

from httpx import AsyncClient

from tests.api.trust import (
    audit_lines,
    create_device_at,
    host_key,
    report_backed_up,
    report_offered,
    unique_address,
    wait_for,
)
from tests.fixtures.factories import create_credential, unique
from tests.fixtures.infra import Infra

MISSING = "00000000-0000-0000-0000-000000000000"


async def detail(client: AsyncClient, device: dict) -> dict:
    response = await client.get(f"/api/devices/{device['id']}")
    assert response.status_code == 200, response.text
    return response.json()


class TestDeviceOut:
    async def test_a_new_device_has_no_key_and_no_bound_credential(
        self, operator: AsyncClient
    ) -> None:
        device = await create_device_at(operator)
        assert device["host_key"] == {
            "status": "none",
            "key_type": None,
            "fingerprint": None,
            "pinned_at": None,
            "pinned_by": None,
            "public_key": None,
            "offered": None,
        }
        assert device["bound_credential"] is None

    async def test_the_list_leaves_out_public_keys_and_the_detail_has_them(
        self, admin: AsyncClient, sessions
    ) -> None:
        device = await create_device_at(admin)
        pinned, offered = host_key(), host_key()
        assert (
            await admin.put(
                f"/api/devices/{device['id']}/host-key", json={"public_key": pinned.openssh()}
            )
        ).status_code == 200
        await report_offered(sessions, device, offered)
        listed = (await admin.get("/api/devices", params={"q": device["hostname"]})).json()[
            "items"
        ][0]["host_key"]
        assert (listed["public_key"], listed["offered"]["public_key"]) == (None, None)
        assert (listed["fingerprint"], listed["offered"]["fingerprint"]) == (
            pinned.fingerprint,
            offered.fingerprint,
        )
        shown = (await detail(admin, device))["host_key"]
        assert (shown["public_key"], shown["offered"]["public_key"]) == (
            pinned.openssh(),
            offered.openssh(),
        )


class TestAcceptOfferedKey:
    async def test_the_offered_fingerprint_pins_it_and_is_audited(
        self, admin: AsyncClient, sessions, infra: Infra
    ) -> None:
        device = await create_device_at(admin)
        first, second = host_key(), host_key()
        await report_backed_up(sessions, device, first)
        await report_offered(sessions, device, second)
        assert (await detail(admin, device))["host_key"]["status"] == "changed"
        async with audit_lines(infra) as lines:
            response = await admin.post(
                f"/api/devices/{device['id']}/host-key/accept",
                json={"fingerprint": second.fingerprint},
            )
            assert response.status_code == 200, response.text
            line = await wait_for(lines, "host_key.accepted")
        shown = response.json()["host_key"]
        assert (shown["status"], shown["fingerprint"], shown["pinned_by"], shown["offered"]) == (
            "pinned",
            second.fingerprint,
            "admin",
            None,
        )
        assert (await detail(admin, device))["host_key"] == shown
        assert (line["device_id"], line["extra"]["by"], line["extra"]["fingerprint"]) == (
            device["id"],
            "admin",
            second.fingerprint,
        )
        assert line["extra"]["previous_fingerprint"] == first.fingerprint

    async def test_a_stale_fingerprint_is_409_and_changes_nothing(
        self, admin: AsyncClient, sessions
    ) -> None:
        device = await create_device_at(admin)
        seen_by_admin, offered_since = host_key(), host_key()
        await report_offered(sessions, device, seen_by_admin)
        await report_offered(sessions, device, offered_since)
        response = await admin.post(
            f"/api/devices/{device['id']}/host-key/accept",
            json={"fingerprint": seen_by_admin.fingerprint},
        )
        assert response.status_code == 409
        assert "the device offered another key since: reload" in response.json()["error"]
        shown = (await detail(admin, device))["host_key"]
        assert (shown["status"], shown["offered"]["fingerprint"]) == (
            "untrusted",
            offered_since.fingerprint,
        )

    async def test_nothing_offered_is_409(self, admin: AsyncClient) -> None:
        device = await create_device_at(admin)
        response = await admin.post(
            f"/api/devices/{device['id']}/host-key/accept",
            json={"fingerprint": host_key().fingerprint},
        )
        assert response.status_code == 409
        assert "offers no key" in response.json()["error"]

    async def test_an_unknown_device_is_404(self, admin: AsyncClient) -> None:
        response = await admin.post(
            f"/api/devices/{MISSING}/host-key/accept", json={"fingerprint": host_key().fingerprint}
        )
        assert response.status_code == 404


class TestPinKey:
    async def test_a_key_line_replaces_pin_and_offer(self, admin: AsyncClient, sessions) -> None:
        device = await create_device_at(admin)
        await report_backed_up(sessions, device, host_key())
        await report_offered(sessions, device, host_key())
        loaded = host_key()
        response = await admin.put(
            f"/api/devices/{device['id']}/host-key",
            json={"public_key": f"{loaded.openssh()} root@core"},
        )
        assert response.status_code == 200, response.text
        shown = response.json()["host_key"]
        assert (shown["status"], shown["key_type"], shown["fingerprint"]) == (
            "pinned",
            "ssh-ed25519",
            loaded.fingerprint,
        )
        assert (shown["pinned_by"], shown["public_key"], shown["offered"]) == (
            "admin",
            loaded.openssh(),
            None,
        )

    async def test_an_invalid_key_is_422_with_the_reason(self, admin: AsyncClient) -> None:
        device = await create_device_at(admin)
        for text, reason in [
            ("ssh-ed25519", "expected '<key type> <base64 key>'"),
            ("ssh-ed25519 not*base64", "not an SSH public key"),
            (f"ssh-rsa {host_key().public_key}", "not of type ssh-rsa"),
        ]:
            response = await admin.put(
                f"/api/devices/{device['id']}/host-key", json={"public_key": text}
            )
            assert response.status_code == 422, text
            assert reason in response.json()["error"], response.json()
        assert (await detail(admin, device))["host_key"]["status"] == "none"


class TestClearKey:
    async def test_clearing_forgets_pin_and_offer_and_is_audited(
        self, admin: AsyncClient, sessions, infra: Infra
    ) -> None:
        device = await create_device_at(admin)
        pinned = host_key()
        await report_backed_up(sessions, device, pinned)
        await report_offered(sessions, device, host_key())
        async with audit_lines(infra) as lines:
            response = await admin.delete(f"/api/devices/{device['id']}/host-key")
            assert (response.status_code, response.content) == (204, b"")
            line = await wait_for(lines, "host_key.cleared")
        shown = (await detail(admin, device))["host_key"]
        assert (shown["status"], shown["fingerprint"], shown["pinned_at"], shown["offered"]) == (
            "none",
            None,
            None,
            None,
        )
        assert (line["extra"]["previous_fingerprint"], line["extra"]["by"]) == (
            pinned.fingerprint,
            "admin",
        )


class TestAddressChanges:
    async def test_a_new_address_or_port_keeps_the_pinned_key(self, admin: AsyncClient) -> None:
        device = await create_device_at(admin)
        key = host_key()
        await admin.put(f"/api/devices/{device['id']}/host-key", json={"public_key": key.openssh()})
        response = await admin.patch(
            f"/api/devices/{device['id']}", json={"ip_address": unique_address(), "port": 2222}
        )
        assert response.status_code == 200, response.text
        assert (
            response.json()["host_key"]["status"],
            response.json()["host_key"]["fingerprint"],
        ) == ("pinned", key.fingerprint)


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
                f"{untouched['ip_address']} {host_key().openssh()}",  # port 22: not the device on 2222
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
        text = f"{device['hostname']} {host_key().openssh()}\n\n{device['ip_address']} ssh-ed25519 ###\n"
        response = await admin.post("/api/devices/host-keys", json={"known_hosts": text})
        assert response.status_code == 422
        assert "line 3" in response.json()["error"]
        assert (await detail(admin, device))["host_key"]["status"] == "none"


class TestFilter:
    async def test_the_list_filters_on_host_key_status(self, admin: AsyncClient, sessions) -> None:
        tag = unique("hk")
        changed, pinned = (
            await create_device_at(admin, tags=[tag]),
            await create_device_at(admin, tags=[tag]),
        )
        await report_backed_up(sessions, changed, host_key())
        await report_offered(sessions, changed, host_key())
        await report_backed_up(sessions, pinned, host_key())
        for status, expected in (
            ("changed", [changed["id"]]),
            ("pinned", [pinned["id"]]),
            ("untrusted", []),
        ):
            items = (
                await admin.get("/api/devices", params={"tag": tag, "host_key_status": status})
            ).json()["items"]
            assert [d["id"] for d in items] == expected, status
        assert (
            await admin.get("/api/devices", params={"host_key_status": "trusted"})
        ).status_code == 422


class TestBoundCredential:
    async def test_shown_by_name_and_unbound_by_an_admin(
        self, admin: AsyncClient, sessions, infra: Infra
    ) -> None:
        tag = unique("bind")
        device = await create_device_at(admin, tags=[tag])
        credential = await create_credential(admin, tag, "pw")
        await report_backed_up(sessions, device, None, credential_id=credential["id"])
        assert (await detail(admin, device))["bound_credential"] == {
            "id": credential["id"],
            "name": credential["name"],
        }
        async with audit_lines(infra) as lines:
            response = await admin.delete(f"/api/devices/{device['id']}/bound-credential")
            assert response.status_code == 204
            line = await wait_for(lines, "credential.unbound")
        assert (await detail(admin, device))["bound_credential"] is None
        assert (line["device_id"], line["extra"]["credential"]) == (
            device["id"],
            credential["name"],
        )


class TestImport:
    async def test_an_admin_import_pins_keys_by_import(self, admin: AsyncClient) -> None:
        key, hostname = host_key(), unique("imp")
        csv = (
            f"hostname,ip_address,device_type,host_key\n{hostname},{unique_address()},cisco_ios,{key.openssh()} "
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


class TestOperators:
    async def test_see_keys_but_cannot_decide_on_them(
        self, admin: AsyncClient, operator: AsyncClient, sessions
    ) -> None:
        device = await create_device_at(admin)
        offered = host_key()
        await report_offered(sessions, device, offered)
        url = f"/api/devices/{device['id']}"
        attempts = [
            operator.post(f"{url}/host-key/accept", json={"fingerprint": offered.fingerprint}),
            operator.put(f"{url}/host-key", json={"public_key": offered.openssh()}),
            operator.delete(f"{url}/host-key"),
            operator.delete(f"{url}/bound-credential"),
            operator.post(
                "/api/devices/host-keys",
                json={"known_hosts": f"{device['ip_address']} {offered.openssh()}"},
            ),
        ]
        for attempt in attempts:
            assert (await attempt).status_code == 403
        assert (await detail(operator, device))["host_key"]["status"] == "untrusted"
