"""Jump hosts: admins define them with a pinned host key; devices name one, or inherit their tags';
one in use cannot be deleted."""

import asyncssh
import pytest
from httpx import AsyncClient

from tests.api.audit_entries import newest
from tests.fixtures.factories import create_credential, create_tag, unique


def public_line(key_type: str = "ssh-ed25519") -> str:
    key = asyncssh.generate_private_key(key_type)
    return key.export_public_key("openssh").decode().strip()


ED25519 = public_line()
RSA = public_line("ssh-rsa")


@pytest.fixture
async def credential(admin: AsyncClient) -> dict:
    return await create_credential(admin, unique("tag"), "bastion-Password-1")


async def create_jump_host(admin: AsyncClient, credential: dict, **fields) -> dict:
    body = {
        "name": unique("bastion"),
        "address": "10.0.0.5",
        "credential_id": credential["id"],
        "host_key": f"10.0.0.5 {ED25519}",
    } | fields
    response = await admin.post("/api/jump-hosts", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def create_device(client: AsyncClient, **fields) -> dict:
    body = {
        "hostname": unique("dev"),
        "ip_address": "10.1.2.3",
        "device_type": "cisco_ios",
    } | fields
    response = await client.post("/api/devices", json=body)
    assert response.status_code == 201, response.text
    return response.json()


class TestCrud:
    async def test_create_pins_the_key_and_reads_back(
        self, admin: AsyncClient, viewer: AsyncClient, credential: dict
    ) -> None:
        created = await create_jump_host(admin, credential, port=2222)
        assert created["address"] == "10.0.0.5"
        assert created["port"] == 2222
        assert created["credential"] == {"id": credential["id"], "name": credential["name"]}
        assert created["host_key"]["public_key"] == " ".join(ED25519.split()[:2])
        assert created["host_key"]["fingerprint"].startswith("SHA256:")
        assert (created["devices"], created["tags"]) == ([], [])
        listed = (await viewer.get("/api/jump-hosts")).json()
        assert created["id"] in [j["id"] for j in listed]
        one = await viewer.get(f"/api/jump-hosts/{created['id']}")
        assert one.json() == created
        entry = await newest(admin, "jump_host.create", object_id=created["id"])
        assert entry["changes"]["name"] == created["name"]

    async def test_ssh_keyscan_output_pins_its_strongest_key(
        self, admin: AsyncClient, credential: dict
    ) -> None:
        keyscan = f"# 10.0.0.5:22 SSH-2.0-OpenSSH_9.6\n10.0.0.5 {RSA}\n10.0.0.5 {ED25519}\n"
        created = await create_jump_host(admin, credential, host_key=keyscan)
        assert created["host_key"]["key_type"] == "ssh-ed25519"

    async def test_update_changes_only_what_is_sent(
        self, admin: AsyncClient, credential: dict
    ) -> None:
        created = await create_jump_host(admin, credential)
        response = await admin.patch(
            f"/api/jump-hosts/{created['id']}", json={"address": "bastion.example.net"}
        )
        assert response.status_code == 200, response.text
        assert response.json()["address"] == "bastion.example.net"
        assert response.json()["host_key"] == created["host_key"]
        response = await admin.patch(f"/api/jump-hosts/{created['id']}", json={"host_key": RSA})
        assert response.json()["host_key"]["key_type"] == "ssh-rsa"

    async def test_delete_an_unused_one(self, admin: AsyncClient, credential: dict) -> None:
        created = await create_jump_host(admin, credential)
        assert (await admin.delete(f"/api/jump-hosts/{created['id']}")).status_code == 204
        assert (await admin.get(f"/api/jump-hosts/{created['id']}")).status_code == 404

    async def test_only_admins_write(
        self, admin: AsyncClient, operator: AsyncClient, credential: dict
    ) -> None:
        body = {
            "name": unique("bastion"),
            "address": "10.0.0.5",
            "credential_id": credential["id"],
            "host_key": ED25519,
        }
        assert (await operator.post("/api/jump-hosts", json=body)).status_code == 403
        created = await create_jump_host(admin, credential)
        path = f"/api/jump-hosts/{created['id']}"
        assert (await operator.patch(path, json={"port": 23})).status_code == 403
        assert (await operator.delete(path)).status_code == 403


class TestValidation:
    async def test_a_taken_name_is_409(self, admin: AsyncClient, credential: dict) -> None:
        created = await create_jump_host(admin, credential)
        body = {"name": created["name"], "credential_id": credential["id"], "host_key": ED25519}
        response = await admin.post("/api/jump-hosts", json={"address": "10.0.0.6"} | body)
        assert response.status_code == 409
        assert created["name"] in response.json()["error"]

    @pytest.mark.parametrize(
        "host_key",
        ["", "# only a comment", "10.0.0.5 ssh-ed25519 not-base64!", "ssh-dss AAAAB3NzaC1kc3MAAA"],
    )
    async def test_no_usable_host_key_is_422(
        self, admin: AsyncClient, credential: dict, host_key: str
    ) -> None:
        body = {
            "name": unique("bastion"),
            "address": "10.0.0.5",
            "credential_id": credential["id"],
            "host_key": host_key,
        }
        response = await admin.post("/api/jump-hosts", json=body)
        assert response.status_code == 422, response.text

    async def test_an_unknown_credential_is_422(self, admin: AsyncClient) -> None:
        body = {
            "name": unique("bastion"),
            "address": "10.0.0.5",
            "credential_id": "00000000-0000-0000-0000-000000000000",
            "host_key": ED25519,
        }
        response = await admin.post("/api/jump-hosts", json=body)
        assert response.status_code == 422
        assert "credential_id" in response.json()["error"]

    async def test_a_device_naming_an_unknown_jump_host_is_422(self, operator: AsyncClient) -> None:
        body = {
            "hostname": unique("dev"),
            "ip_address": "10.1.2.3",
            "device_type": "cisco_ios",
            "jump_host_id": "00000000-0000-0000-0000-000000000000",
        }
        response = await operator.post("/api/devices", json=body)
        assert response.status_code == 422
        assert "jump_host_id" in response.json()["error"]

    async def test_a_credential_a_jump_host_uses_cannot_be_deleted(
        self, admin: AsyncClient, credential: dict
    ) -> None:
        jump = await create_jump_host(admin, credential)
        response = await admin.delete(f"/api/credentials/{credential['id']}")
        assert response.status_code == 409
        assert jump["name"] in response.json()["error"]


class TestWhichJumpHostADeviceUses:
    async def test_its_own(
        self, admin: AsyncClient, operator: AsyncClient, credential: dict
    ) -> None:
        jump = await create_jump_host(admin, credential)
        device = await create_device(operator, jump_host_id=jump["id"])
        assert device["jump_host_id"] == jump["id"]
        assert device["jump_host"] == {"id": jump["id"], "name": jump["name"], "from_tag": None}

    async def test_its_tags_lowest_name_first_and_its_own_wins(
        self, admin: AsyncClient, operator: AsyncClient, credential: dict
    ) -> None:
        first, second, own = [await create_jump_host(admin, credential) for _ in range(3)]
        prefix = unique("t")
        tag_a = await create_tag(operator, f"{prefix}-a")
        tag_b = await create_tag(operator, f"{prefix}-b")
        for tag, jump in ((tag_a, first), (tag_b, second)):
            response = await operator.patch(
                f"/api/tags/{tag['id']}", json={"jump_host_id": jump["id"]}
            )
            assert response.status_code == 200, response.text
            assert response.json()["jump_host_id"] == jump["id"]
            assert response.json()["name"] == tag["name"]
        device = await create_device(operator, tags=[tag_b["name"], tag_a["name"]])
        assert device["jump_host_id"] is None
        assert device["jump_host"] == {
            "id": first["id"],
            "name": first["name"],
            "from_tag": tag_a["name"],
        }
        response = await operator.patch(
            f"/api/devices/{device['id']}", json={"jump_host_id": own["id"]}
        )
        assert response.json()["jump_host"]["id"] == own["id"]
        assert response.json()["jump_host"]["from_tag"] is None
        response = await operator.patch(f"/api/devices/{device['id']}", json={"jump_host_id": None})
        assert response.json()["jump_host"]["id"] == first["id"]

    async def test_a_tag_created_with_a_jump_host(
        self, admin: AsyncClient, operator: AsyncClient, credential: dict
    ) -> None:
        jump = await create_jump_host(admin, credential)
        response = await operator.post(
            "/api/tags", json={"name": unique("tag"), "jump_host_id": jump["id"]}
        )
        assert response.status_code == 201, response.text
        device = await create_device(operator, tags=[response.json()["name"]])
        assert device["jump_host"]["id"] == jump["id"]


class TestDeletingOneInUse:
    async def test_409_names_the_devices_and_tags(
        self, admin: AsyncClient, operator: AsyncClient, credential: dict
    ) -> None:
        jump = await create_jump_host(admin, credential)
        device = await create_device(operator, jump_host_id=jump["id"])
        tag = await create_tag(operator)
        await operator.patch(f"/api/tags/{tag['id']}", json={"jump_host_id": jump["id"]})
        response = await admin.delete(f"/api/jump-hosts/{jump['id']}")
        assert response.status_code == 409
        detail = response.json()["error"]
        assert device["hostname"] in detail and tag["name"] in detail
        listed = (await admin.get(f"/api/jump-hosts/{jump['id']}")).json()
        assert (listed["devices"], listed["tags"]) == ([device["hostname"]], [tag["name"]])
        await operator.patch(f"/api/devices/{device['id']}", json={"jump_host_id": None})
        await operator.patch(f"/api/tags/{tag['id']}", json={"jump_host_id": None})
        assert (await admin.delete(f"/api/jump-hosts/{jump['id']}")).status_code == 204


class TestTelnet:
    async def test_a_platform_with_a_telnet_driver_accepts_it(self, operator: AsyncClient) -> None:
        device = await create_device(operator, transport="telnet", port=23)
        assert device["transport"] == "telnet"

    async def test_ssh_is_the_default(self, operator: AsyncClient) -> None:
        assert (await create_device(operator))["transport"] == "ssh"

    async def test_a_platform_without_one_refuses_it(self, operator: AsyncClient) -> None:
        body = {
            "hostname": unique("dev"),
            "ip_address": "10.1.2.3",
            "device_type": "fortinet",
            "transport": "telnet",
        }
        response = await operator.post("/api/devices", json=body)
        assert response.status_code == 422
        assert "no Telnet driver" in response.json()["error"]
        device = await create_device(operator, device_type="fortinet")
        response = await operator.patch(
            f"/api/devices/{device['id']}", json={"transport": "telnet"}
        )
        assert response.status_code == 422

    async def test_telnet_through_a_jump_host_is_refused(
        self, admin: AsyncClient, operator: AsyncClient, credential: dict
    ) -> None:
        jump = await create_jump_host(admin, credential)
        body = {
            "hostname": unique("dev"),
            "ip_address": "10.1.2.3",
            "device_type": "cisco_ios",
            "transport": "telnet",
            "jump_host_id": jump["id"],
        }
        response = await operator.post("/api/devices", json=body)
        assert response.status_code == 422


class TestImport:
    async def test_rows_name_the_jump_host_and_transport(
        self, admin: AsyncClient, operator: AsyncClient, credential: dict
    ) -> None:
        jump = await create_jump_host(admin, credential)
        names = [unique("imp") for _ in range(3)]
        csv = (
            "hostname,ip_address,device_type,transport,jump_host\n"
            f"{names[0]},10.1.2.3,cisco_ios,ssh,{jump['name']}\n"
            f"{names[1]},10.1.2.4,cisco_ios,telnet,\n"
            f"{names[2]},10.1.2.5,cisco_ios,ssh,no-such-bastion\n"
        )
        response = await operator.post(
            "/api/devices/import", files={"file": ("devices.csv", csv, "text/csv")}
        )
        assert response.status_code == 200, response.text
        rows = response.json()["rows"]
        assert [row["status"] for row in rows] == ["created", "created", "failed"]
        assert "no jump host named 'no-such-bastion'" in rows[2]["error"]
        devices = (await operator.get("/api/devices", params={"q": names[0][:4]})).json()["items"]
        by_name = {d["hostname"]: d for d in devices}
        assert by_name[names[0]]["jump_host_id"] == jump["id"]
        assert by_name[names[1]]["transport"] == "telnet"
