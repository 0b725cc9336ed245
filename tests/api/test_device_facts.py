"""Device facts: what a backup's driver read (model, serial number, OS version) is kept on the
device by the run recorder, returned by the device API and filterable in the device list."""

from uuid import UUID

from httpx import AsyncClient
from netraven_api.runs.handlers import recording
from netraven_shared.events import DeviceBackedUp
from netraven_shared.events.backups import DeviceFacts
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.trust import create_device_at
from tests.fixtures.factories import create_run, unique


async def backed_up(
    sessions: async_sessionmaker[AsyncSession],
    device: dict,
    collected_at: str,
    **facts: str,
) -> None:
    run_id = UUID(await create_run(sessions, [device["id"]]))
    event = DeviceBackedUp(
        run_id=run_id,
        device_id=device["id"],
        hostname=device["hostname"],
        device_type="cisco_ios",
        config_text="hostname x\n",
        sha256="c" * 64,
        size_bytes=11,
        collected_at=collected_at,
        facts=DeviceFacts(**facts) if facts else None,
    )
    await recording(sessions)([event])


async def shown(admin: AsyncClient, device: dict) -> dict:
    return (await admin.get(f"/api/devices/{device['id']}")).json()


class TestFactsFromBackups:
    async def test_a_backup_s_facts_are_kept_on_the_device(
        self, admin: AsyncClient, sessions
    ) -> None:
        device = await create_device_at(admin)
        assert (await shown(admin, device))["model"] is None
        await backed_up(
            sessions,
            device,
            "2026-12-05T10:00:00Z",
            model="WS-C2960X-48FPD-L",
            serial_number="FOC1234X5YZ",
            os_version="15.2(7)E4",
        )
        out = await shown(admin, device)
        assert (out["model"], out["serial_number"], out["os_version"]) == (
            "WS-C2960X-48FPD-L",
            "FOC1234X5YZ",
            "15.2(7)E4",
        )
        assert out["facts_updated_at"].startswith("2026-12-05T10:00:00")

    async def test_a_fact_a_backup_could_not_read_keeps_its_value(
        self, admin: AsyncClient, sessions
    ) -> None:
        device = await create_device_at(admin)
        await backed_up(sessions, device, "2026-12-05T10:00:00Z", model="A", os_version="1.0")
        await backed_up(sessions, device, "2026-12-05T11:00:00Z", os_version="2.0")
        out = await shown(admin, device)
        assert (out["model"], out["os_version"]) == ("A", "2.0")

    async def test_an_older_backup_arriving_late_changes_nothing(
        self, admin: AsyncClient, sessions
    ) -> None:
        device = await create_device_at(admin)
        await backed_up(sessions, device, "2026-12-05T11:00:00Z", os_version="2.0")
        await backed_up(sessions, device, "2026-12-05T10:00:00Z", os_version="1.0")
        assert (await shown(admin, device))["os_version"] == "2.0"

    async def test_a_backup_without_facts_leaves_them(self, admin: AsyncClient, sessions) -> None:
        device = await create_device_at(admin)
        await backed_up(sessions, device, "2026-12-05T10:00:00Z", model="A")
        await backed_up(sessions, device, "2026-12-05T11:00:00Z")
        assert (await shown(admin, device))["model"] == "A"


class TestFilterByFacts:
    async def test_model_os_version_and_serial_filter_by_substring_in_any_case(
        self, admin: AsyncClient, sessions
    ) -> None:
        marker = unique("m").upper().replace("-", "")
        catalyst, nexus = await create_device_at(admin), await create_device_at(admin)
        await backed_up(
            sessions,
            catalyst,
            "2026-12-05T10:00:00Z",
            model=f"WS-C2960X-{marker}",
            os_version="15.2(7)E4",
            serial_number=f"FOC{marker}",
        )
        await backed_up(
            sessions, nexus, "2026-12-05T10:00:00Z", model=f"N9K-{marker}", os_version="9.3(5)"
        )

        async def hostnames(**query: str) -> set[str]:
            response = await admin.get("/api/devices", params=query | {"limit": "500"})
            assert response.status_code == 200, response.text
            return {item["hostname"] for item in response.json()["items"]}

        both = {catalyst["hostname"], nexus["hostname"]}
        assert await hostnames(model=marker.lower()) == both
        assert await hostnames(model=f"ws-c2960x-{marker.lower()}") == {catalyst["hostname"]}
        assert both & await hostnames(os_version="9.3(") == {nexus["hostname"]}
        assert await hostnames(serial_number=f"foc{marker.lower()}") == {catalyst["hostname"]}
        assert await hostnames(model=marker, os_version="15.2") == {catalyst["hostname"]}

    async def test_a_percent_sign_is_taken_literally(self, admin: AsyncClient) -> None:
        response = await admin.get("/api/devices", params={"model": "%"})
        assert response.status_code == 200
        assert all("%" in (item["model"] or "") for item in response.json()["items"])

    async def test_the_list_carries_the_facts(self, admin: AsyncClient, sessions) -> None:
        device = await create_device_at(admin)
        marker = unique("os")
        await backed_up(sessions, device, "2026-12-05T10:00:00Z", os_version=marker)
        items = (await admin.get("/api/devices", params={"os_version": marker})).json()["items"]
        assert [(item["hostname"], item["os_version"]) for item in items] == [
            (device["hostname"], marker)
        ]
