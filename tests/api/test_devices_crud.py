from datetime import UTC, datetime, timedelta

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.factories import create_device, record_backup, unique

MISSING = "00000000-0000-0000-0000-000000000000"


class TestUpdateDevice:
    async def test_only_the_fields_sent_change(self, operator: AsyncClient) -> None:
        device = await create_device(operator, 2300, unique("t"))
        response = await operator.patch(
            f"/api/devices/{device['id']}", json={"ip_address": "10.9.9.9", "port": 830}
        )
        assert response.status_code == 200, response.text
        changed = response.json()
        assert (changed["ip_address"], changed["port"]) == ("10.9.9.9", 830)
        assert (changed["hostname"], changed["device_type"], changed["tags"]) == (
            device["hostname"],
            "cisco_ios",
            device["tags"],
        )
        assert (await operator.get(f"/api/devices/{device['id']}")).json() == changed

    async def test_tags_are_replaced_and_none_means_default(self, operator: AsyncClient) -> None:
        device = await create_device(operator, 2301, unique("t"))
        retagged = await operator.patch(
            f"/api/devices/{device['id']}", json={"tags": ["b-tag", "a-tag"]}
        )
        assert retagged.json()["tags"] == ["a-tag", "b-tag"]
        cleared = await operator.patch(f"/api/devices/{device['id']}", json={"tags": []})
        assert cleared.json()["tags"] == ["default"]

    async def test_renaming_onto_another_device_is_409(self, operator: AsyncClient) -> None:
        first, second = (
            await create_device(operator, 2302, "t"),
            await create_device(operator, 2303, "t"),
        )
        response = await operator.patch(
            f"/api/devices/{second['id']}", json={"hostname": first["hostname"]}
        )
        assert response.status_code == 409
        assert first["hostname"] in response.json()["error"]

    async def test_keeping_its_own_hostname_is_not_a_clash(self, operator: AsyncClient) -> None:
        device = await create_device(operator, 2304, "t")
        response = await operator.patch(
            f"/api/devices/{device['id']}",
            json={"hostname": device["hostname"], "device_type": "juniper_junos"},
        )
        assert response.status_code == 200
        assert response.json()["device_type"] == "juniper_junos"

    async def test_invalid_fields_are_422_and_change_nothing(self, operator: AsyncClient) -> None:
        device = await create_device(operator, 2305, "t")
        response = await operator.patch(
            f"/api/devices/{device['id']}", json={"hostname": "bad name", "port": 0}
        )
        assert response.status_code == 422
        assert {p["field"] for p in response.json()["detail"]} == {"hostname", "port"}
        assert (await operator.get(f"/api/devices/{device['id']}")).json()["port"] == 2305

    async def test_unknown_device_is_404(self, operator: AsyncClient) -> None:
        assert (
            await operator.patch(f"/api/devices/{MISSING}", json={"port": 23})
        ).status_code == 404

    async def test_a_viewer_cannot_change_a_device(
        self, operator: AsyncClient, viewer: AsyncClient
    ) -> None:
        device = await create_device(operator, 2306, "t")
        assert (
            await viewer.patch(f"/api/devices/{device['id']}", json={"port": 23})
        ).status_code == 403


class TestDeleteDevice:
    async def test_delete_is_204_and_the_device_is_gone(self, operator: AsyncClient) -> None:
        device = await create_device(operator, 2310, "t")
        response = await operator.delete(f"/api/devices/{device['id']}")
        assert response.status_code == 204
        assert (await operator.get(f"/api/devices/{device['id']}")).status_code == 404
        assert (await operator.delete(f"/api/devices/{device['id']}")).status_code == 404

    async def test_a_device_with_backups_can_be_deleted(
        self, operator: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        device = await create_device(operator, 2311, "t")
        await record_backup(sessions, device["id"], "succeeded", datetime.now(UTC))
        assert (await operator.delete(f"/api/devices/{device['id']}")).status_code == 204

    async def test_a_viewer_cannot_delete(self, operator: AsyncClient, viewer: AsyncClient) -> None:
        device = await create_device(operator, 2312, "t")
        assert (await viewer.delete(f"/api/devices/{device['id']}")).status_code == 403
        assert (await viewer.get(f"/api/devices/{device['id']}")).status_code == 200


async def _listed(client: AsyncClient, **params: object) -> tuple[list[str], int]:
    response = await client.get("/api/devices", params=params)
    assert response.status_code == 200, response.text
    return [d["hostname"] for d in response.json()["items"]], response.json()["total"]


class TestListFilters:
    async def test_tag_and_device_type_filters(self, operator: AsyncClient) -> None:
        tag = unique("filter")
        ios = await create_device(operator, 2320, tag)
        junos = await create_device(operator, 2321, tag)
        await operator.patch(f"/api/devices/{junos['id']}", json={"device_type": "juniper_junos"})
        await create_device(operator, 2322, unique("other"))
        assert await _listed(operator, tag=tag) == (sorted([ios["hostname"], junos["hostname"]]), 2)
        assert await _listed(operator, tag=tag, device_type="juniper_junos") == (
            [junos["hostname"]],
            1,
        )

    async def test_status_filters_on_the_last_finished_backup(
        self, operator: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        tag, now = unique("status"), datetime.now(UTC)
        ok, bad, never = [await create_device(operator, 2330 + i, tag) for i in range(3)]
        await record_backup(sessions, ok["id"], "failed", now - timedelta(hours=1))
        await record_backup(sessions, ok["id"], "succeeded", now)
        await record_backup(sessions, bad["id"], "succeeded", now - timedelta(hours=1))
        await record_backup(sessions, bad["id"], "failed", now)
        assert await _listed(operator, tag=tag, status="succeeded") == ([ok["hostname"]], 1)
        assert await _listed(operator, tag=tag, status="failed") == ([bad["hostname"]], 1)
        assert await _listed(operator, tag=tag, status="never") == ([never["hostname"]], 1)

    async def test_unknown_status_or_sort_is_422(self, operator: AsyncClient) -> None:
        assert (await operator.get("/api/devices", params={"status": "broken"})).status_code == 422
        assert (
            await operator.get("/api/devices", params={"sort": "ip_address"})
        ).status_code == 422


class TestListSortAndPages:
    async def test_hostname_both_ways(self, operator: AsyncClient) -> None:
        tag = unique("sort")
        names = sorted(
            [(await create_device(operator, 2340 + i, tag))["hostname"] for i in range(3)]
        )
        assert (await _listed(operator, tag=tag, sort="hostname"))[0] == names
        assert (await _listed(operator, tag=tag, sort="-hostname"))[0] == names[::-1]

    async def test_last_backup_at_puts_never_backed_up_last(
        self, operator: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        tag, now = unique("sort"), datetime.now(UTC)
        old, new, never = [await create_device(operator, 2350 + i, tag) for i in range(3)]
        await record_backup(sessions, old["id"], "succeeded", now - timedelta(days=1))
        await record_backup(sessions, new["id"], "failed", now)
        assert (await _listed(operator, tag=tag, sort="last_backup_at"))[0] == [
            old["hostname"],
            new["hostname"],
            never["hostname"],
        ]
        assert (await _listed(operator, tag=tag, sort="-last_backup_at"))[0] == [
            new["hostname"],
            old["hostname"],
            never["hostname"],
        ]

    async def test_pages_cover_every_device_once_with_the_full_total(
        self, operator: AsyncClient
    ) -> None:
        tag = unique("page")
        names = sorted(
            [(await create_device(operator, 2360 + i, tag))["hostname"] for i in range(5)]
        )
        pages = [await _listed(operator, tag=tag, limit=2, offset=offset) for offset in (0, 2, 4)]
        assert [total for _, total in pages] == [5, 5, 5]
        assert [name for page, _ in pages for name in page] == names
