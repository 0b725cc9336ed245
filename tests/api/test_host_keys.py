"""Admins decide which SSH host keys devices are trusted with: accept an offered key, pin one, clear
the pin; the list filters on a key's status. Operators see the keys and cannot change them. A
device's bound credential is in test_bound_credential.py, pinning many keys at once (known_hosts,
import) in test_host_keys_in_bulk.py."""

import base64

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from httpx import AsyncClient
from netraven_shared.host_keys import fingerprint_of

from tests.api.trust import (
    audit_lines,
    create_device_at,
    detail,
    host_key,
    report_backed_up,
    report_offered,
    unique_address,
    wait_for,
)
from tests.fixtures.factories import unique
from tests.fixtures.infra import Infra

MISSING = "00000000-0000-0000-0000-000000000000"


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

    async def test_a_tls_certificate_key_is_pinned_as_x509_spki(self, admin: AsyncClient) -> None:
        """A device read over HTTPS (an API driver) is pinned by its certificate's public key."""
        device = await create_device_at(admin)
        spki = base64.b64encode(
            ec.generate_private_key(ec.SECP256R1())
            .public_key()
            .public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
        ).decode()
        response = await admin.put(
            f"/api/devices/{device['id']}/host-key", json={"public_key": f"x509-spki {spki}"}
        )
        assert response.status_code == 200, response.text
        shown = response.json()["host_key"]
        assert (shown["status"], shown["key_type"], shown["public_key"]) == (
            "pinned",
            "x509-spki",
            f"x509-spki {spki}",
        )
        assert shown["fingerprint"] == fingerprint_of(spki)

    async def test_an_invalid_key_is_422_with_the_reason(self, admin: AsyncClient) -> None:
        device = await create_device_at(admin)
        for text, reason in [
            ("ssh-ed25519", "expected '<key type> <base64 key>'"),
            ("ssh-ed25519 not*base64", "not an SSH public key"),
            (f"ssh-rsa {host_key().public_key}", "not of type ssh-rsa"),
            (f"x509-spki {host_key().public_key}", "not a DER SubjectPublicKeyInfo"),
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
