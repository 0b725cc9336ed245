import asyncio

from httpx import AsyncClient
from netraven_shared.db.models import Credential
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.factories import create_credential, create_device, unique


class TestDevices:
    async def test_create_returns_201_with_an_id_and_default_tag(self, admin: AsyncClient) -> None:
        response = await admin.post(
            "/api/devices",
            json={"hostname": unique("sw"), "ip_address": "10.1.1.1", "device_type": "cisco_ios"},
        )
        assert response.status_code == 201
        assert response.json()["id"]
        assert response.json()["tags"] == ["default"]
        assert response.json()["port"] == 22

    async def test_duplicate_hostname_is_409(self, admin: AsyncClient) -> None:
        device = await create_device(admin, 2222, "dup")
        again = await admin.post(
            "/api/devices",
            json={
                "hostname": device["hostname"],
                "ip_address": "10.1.1.2",
                "device_type": "cisco_ios",
            },
        )
        assert again.status_code == 409
        assert device["hostname"] in again.json()["error"]

    async def test_bad_fields_are_listed_in_a_422(self, admin: AsyncClient) -> None:
        response = await admin.post(
            "/api/devices",
            json={
                "hostname": "",
                "ip_address": "999.1.1.1",
                "device_type": "Cisco IOS",
                "port": 70000,
            },
        )
        assert response.status_code == 422
        fields = {problem["field"] for problem in response.json()["detail"]}
        assert fields == {"hostname", "ip_address", "device_type", "port"}

    async def test_unknown_device_is_404_json(self, admin: AsyncClient) -> None:
        response = await admin.get("/api/devices/00000000-0000-0000-0000-000000000000")
        assert response.status_code == 404
        assert response.json()["error"].startswith("no device")

    async def test_malformed_id_is_422_not_500(self, admin: AsyncClient) -> None:
        assert (await admin.get("/api/devices/not-a-uuid")).status_code == 422

    async def test_list_filters_by_substring(self, admin: AsyncClient) -> None:
        device = await create_device(admin, 2223, "list")
        response = await admin.get("/api/devices", params={"q": device["hostname"][-8:]})
        assert [d["id"] for d in response.json()["items"]] == [device["id"]]

    async def test_offset_past_a_bigint_is_422_not_500(self, admin: AsyncClient) -> None:
        response = await admin.get("/api/devices", params={"offset": 2**70})
        assert response.status_code == 422
        assert response.json()["detail"][0]["field"] == "query.offset"

    async def test_nul_byte_in_a_tag_or_filter_is_422_not_500(self, admin: AsyncClient) -> None:
        body = {
            "hostname": unique("nul"),
            "ip_address": "10.1.1.3",
            "device_type": "cisco_ios",
            "tags": ["a\x00b"],
        }
        created = await admin.post("/api/devices", json=body)
        listed = await admin.get("/api/devices", params={"q": "a\x00b"})
        assert created.status_code == listed.status_code == 422
        assert "NUL" in created.json()["error"]

    async def test_same_hostname_twice_at_once_is_one_201_and_409s(
        self, admin: AsyncClient
    ) -> None:
        body = {"hostname": unique("race"), "ip_address": "10.1.1.4", "device_type": "cisco_ios"}
        responses = await asyncio.gather(*(admin.post("/api/devices", json=body) for _ in range(5)))
        assert sorted(r.status_code for r in responses) == [201, 409, 409, 409, 409]


class TestCredentials:
    async def test_secrets_are_never_returned(self, admin: AsyncClient) -> None:
        created = await create_credential(
            admin, "secret-test", "hunter2-password", "enable-me-secret"
        )
        listed = (await admin.get("/api/credentials")).text
        for text in (str(created), listed):
            assert "hunter2-password" not in text
            assert "enable-me-secret" not in text
        assert created["has_enable_secret"] is True

    async def test_secrets_are_encrypted_at_rest(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        created = await create_credential(admin, "rest-test", "plain-text-password-xyz")
        async with sessions() as session:
            stored = await session.scalar(
                select(Credential).where(Credential.name == created["name"])
            )
        assert b"plain-text-password-xyz" not in stored.password_encrypted
        assert stored.password_encrypted.startswith(b"gAAAA")

    async def test_nul_byte_in_username_is_422_not_500(self, admin: AsyncClient) -> None:
        response = await admin.post(
            "/api/credentials",
            json={"name": unique("cred"), "username": "net\x00raven", "password": "p"},
        )
        assert response.status_code == 422
        assert set(response.json()) == {"error", "detail"}
