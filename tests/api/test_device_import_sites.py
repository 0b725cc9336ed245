"""A bulk import places devices at remote sites by the site's name (a CSV `site` column or a JSON
field), or by `site_id`; a site that does not exist fails its row, not the import."""

from uuid import uuid4

from httpx import AsyncClient

from tests.api.test_device_import import _device, row
from tests.api.test_sites import create_site
from tests.fixtures.factories import unique


class TestImportToSites:
    async def test_a_csv_site_column_places_each_device_at_its_site(
        self, admin: AsyncClient, operator: AsyncClient
    ) -> None:
        site = await create_site(admin)
        remote, central = unique("imp-site"), unique("imp-site")
        body = (
            "hostname,ip_address,device_type,site\n"
            f"{remote},10.2.0.5,cisco_ios,{site['name']}\n"
            f"{central},10.2.0.6,cisco_ios,\n"
        )
        response = await operator.post(
            "/api/devices/import", content=body, headers={"content-type": "text/csv"}
        )
        assert response.status_code == 200, response.text
        assert response.json()["created"] == 2
        assert (await _device(operator, remote))["site_id"] == site["id"]
        assert (await _device(operator, central))["site_id"] is None
        listed = await operator.get("/api/devices", params={"site": site["name"], "q": remote})
        assert [d["hostname"] for d in listed.json()["items"]] == [remote]

    async def test_an_unknown_site_fails_its_row_and_says_where_to_add_it(
        self, operator: AsyncClient
    ) -> None:
        named, by_id, good = unique("imp-site"), unique("imp-site"), unique("imp-site")
        response = await operator.post(
            "/api/devices/import",
            json={
                "devices": [
                    row(named, site="no-such-site"),
                    row(by_id, site_id=str(uuid4())),
                    row(good),
                ]
            },
        )
        assert response.status_code == 200, response.text
        rows = response.json()["rows"]
        assert [r["status"] for r in rows] == ["failed", "failed", "created"]
        assert "no site named 'no-such-site'" in rows[0]["error"]
        assert "Sites page" in rows[0]["error"]
        assert "no site with id" in rows[1]["error"]
        assert await _device(operator, named) is None and await _device(operator, by_id) is None

    async def test_a_json_site_id_is_kept(self, admin: AsyncClient, operator: AsyncClient) -> None:
        site = await create_site(admin)
        name = unique("imp-site")
        response = await operator.post(
            "/api/devices/import", json={"devices": [row(name, site_id=site["id"])]}
        )
        assert response.json()["created"] == 1, response.text
        assert (await _device(operator, name))["site_id"] == site["id"]
