import pytest
from httpx import AsyncClient

from tests.fixtures.factories import create_credential, create_device, create_tag, tag_named, unique

MISSING = "00000000-0000-0000-0000-000000000000"


class TestListTags:
    async def test_each_tag_counts_its_devices_and_credentials(
        self, admin: AsyncClient, operator: AsyncClient, viewer: AsyncClient
    ) -> None:
        name = unique("count")
        await create_device(operator, 2500, name)
        await create_device(operator, 2501, name)
        await create_credential(admin, name, "pw")
        listed = await tag_named(viewer, name)
        assert (listed["device_count"], listed["credential_count"]) == (2, 1)

    async def test_tags_are_sorted_by_name(self, viewer: AsyncClient) -> None:
        names = [tag["name"] for tag in (await viewer.get("/api/tags")).json()]
        assert names == sorted(names)


class TestCreateTag:
    async def test_a_new_tag_is_201_with_zero_counts(self, operator: AsyncClient) -> None:
        name = unique("new")
        created = await create_tag(operator, name)
        assert (created["name"], created["device_count"], created["credential_count"]) == (
            name,
            0,
            0,
        )
        assert await tag_named(operator, name) == created

    async def test_a_taken_name_is_409(self, operator: AsyncClient) -> None:
        tag = await create_tag(operator)
        response = await operator.post("/api/tags", json={"name": tag["name"]})
        assert response.status_code == 409
        assert tag["name"] in response.json()["error"]

    async def test_a_blank_name_is_422(self, operator: AsyncClient) -> None:
        assert (await operator.post("/api/tags", json={"name": "   "})).status_code == 422

    async def test_a_viewer_cannot_create(self, viewer: AsyncClient) -> None:
        assert (await viewer.post("/api/tags", json={"name": unique("v")})).status_code == 403


class TestRenameTag:
    async def test_devices_carry_the_new_name(self, operator: AsyncClient) -> None:
        old, new = unique("old"), unique("new")
        device = await create_device(operator, 2510, old)
        tag = await tag_named(operator, old)
        response = await operator.patch(f"/api/tags/{tag['id']}", json={"name": new})
        assert response.status_code == 200
        assert (response.json()["name"], response.json()["device_count"]) == (new, 1)
        assert (await operator.get(f"/api/devices/{device['id']}")).json()["tags"] == [new]

    async def test_a_name_another_tag_has_is_409(self, operator: AsyncClient) -> None:
        first, second = await create_tag(operator), await create_tag(operator)
        response = await operator.patch(f"/api/tags/{second['id']}", json={"name": first["name"]})
        assert response.status_code == 409
        assert (await tag_named(operator, second["name"])) is not None

    async def test_default_cannot_be_renamed(self, operator: AsyncClient) -> None:
        default = (
            await tag_named(operator, "default")
            or (await operator.post("/api/tags", json={"name": "default"})).json()
        )
        response = await operator.patch(
            f"/api/tags/{default['id']}", json={"name": unique("not-default")}
        )
        assert response.status_code == 409

    async def test_unknown_tag_is_404(self, operator: AsyncClient) -> None:
        assert (
            await operator.patch(f"/api/tags/{MISSING}", json={"name": unique("x")})
        ).status_code == 404


class TestDeleteTag:
    async def test_delete_is_204_and_the_tag_is_gone(self, operator: AsyncClient) -> None:
        tag = await create_tag(operator)
        assert (await operator.delete(f"/api/tags/{tag['id']}")).status_code == 204
        assert await tag_named(operator, tag["name"]) is None
        assert (await operator.delete(f"/api/tags/{tag['id']}")).status_code == 404

    async def test_what_it_leaves_untagged_falls_back_to_default(
        self, admin: AsyncClient, operator: AsyncClient
    ) -> None:
        doomed, kept = unique("doomed"), unique("kept")
        only = await create_device(operator, 2520, doomed)
        both = await create_device(operator, 2521, doomed)
        await operator.patch(f"/api/devices/{both['id']}", json={"tags": [doomed, kept]})
        credential = await create_credential(admin, doomed, "pw")
        await operator.delete(f"/api/tags/{(await tag_named(operator, doomed))['id']}")
        assert (await operator.get(f"/api/devices/{only['id']}")).json()["tags"] == ["default"]
        assert (await operator.get(f"/api/devices/{both['id']}")).json()["tags"] == [kept]
        credentials = {c["id"]: c for c in (await operator.get("/api/credentials")).json()}
        assert credentials[credential["id"]]["tags"] == ["default"]

    async def test_default_cannot_be_deleted(self, operator: AsyncClient) -> None:
        await create_device(operator, 2530, "default")
        default = await tag_named(operator, "default")
        response = await operator.delete(f"/api/tags/{default['id']}")
        assert response.status_code == 409
        assert await tag_named(operator, "default") is not None


class TestStaleAfterHours:
    async def test_set_read_and_cleared(self, operator: AsyncClient) -> None:
        response = await operator.post(
            "/api/tags", json={"name": unique("stale"), "stale_after_hours": 48}
        )
        assert response.status_code == 201, response.text
        tag = response.json()
        assert tag["stale_after_hours"] == 48
        changed = await operator.patch(f"/api/tags/{tag['id']}", json={"stale_after_hours": 4})
        assert changed.json()["stale_after_hours"] == 4
        listed = {t["id"]: t for t in (await operator.get("/api/tags")).json()}
        assert listed[tag["id"]]["stale_after_hours"] == 4
        renamed = await operator.patch(f"/api/tags/{tag['id']}", json={"name": unique("s")})
        assert renamed.json()["stale_after_hours"] == 4
        cleared = await operator.patch(f"/api/tags/{tag['id']}", json={"stale_after_hours": None})
        assert cleared.json()["stale_after_hours"] is None

    @pytest.mark.parametrize("hours", [0, 8761, "soon"])
    async def test_out_of_range_is_a_422_naming_the_field(
        self, operator: AsyncClient, hours: object
    ) -> None:
        response = await operator.post(
            "/api/tags", json={"name": unique("stale"), "stale_after_hours": hours}
        )
        assert response.status_code == 422
        assert "stale_after_hours" in response.text
