"""Inventory sources: admins define NetBox and Nautobot sources whose token is sealed and never
returned; a sync adopts, updates and orphans devices against a stand-in of each API."""

import socket
from uuid import UUID

from httpx import AsyncClient
from netraven_shared.db.models import InventorySource

from tests.api.audit_entries import assert_no_secret, newest
from tests.api.inventory_sources import create_source, source_devices, sync
from tests.fixtures.factories import unique
from tests.fixtures.inventory_stand_in import StandIn, StandInDevice


class TestSources:
    async def test_the_token_is_sealed_never_returned_and_the_write_audited(
        self, admin: AsyncClient, netbox: StandIn, sessions
    ) -> None:
        created = await create_source(
            admin, netbox, filters={"site": ["dc1"]}, tag_fields=["site", "role"]
        )
        assert "token" not in created
        assert created["filters"] == {"site": ["dc1"], "role": [], "tag": [], "status": []}
        assert created["last_sync_at"] is None
        async with sessions() as session:
            row = await session.get(InventorySource, UUID(created["id"]))
            assert netbox.token.encode() not in row.token_encrypted
        entry = await newest(admin, "inventory_source.create", target_id=created["id"])
        assert_no_secret(entry, netbox.token)
        listed = (await admin.get("/api/inventory-sources")).json()
        assert netbox.token not in str(listed)

    async def test_platforms_are_checked_against_the_driver_catalog(
        self, admin: AsyncClient, netbox: StandIn
    ) -> None:
        response = await admin.post(
            "/api/inventory-sources",
            json={
                "name": unique("src"),
                "kind": "netbox",
                "url": netbox.url,
                "token": "t",
                "platform_map": {"ios": "no_such_platform"},
            },
        )
        assert response.status_code == 422
        assert "no_such_platform" in response.json()["error"]

    async def test_operators_may_not_see_sources(
        self, operator: AsyncClient, admin: AsyncClient, netbox: StandIn
    ) -> None:
        await create_source(admin, netbox)
        assert (await operator.get("/api/inventory-sources")).status_code == 403


class TestNetBoxSync:
    async def test_adopt_update_orphan_and_return(
        self, admin: AsyncClient, netbox: StandIn
    ) -> None:
        prefix = unique("nb")
        netbox.devices = [
            StandInDevice(1, f"{prefix}-a", "10.20.0.1/24", tags=["edge"]),
            StandInDevice(2, f"{prefix}-b", "10.20.0.2/24", platform="eos", role="access"),
        ]
        source = await create_source(
            admin, netbox, tag_fields=["site", "role", "tags"], credential_tag="nb-login"
        )
        first = await sync(admin, source)
        assert first["counts"]["adopted"] == 2
        devices = await source_devices(admin, source)
        a = devices[f"{prefix}-a"]
        assert (a["ip_address"], a["device_type"]) == ("10.20.0.1", "cisco_ios")
        assert set(a["tags"]) == {
            f"source:{source['name']}",
            "site:dc1",
            "role:core",
            "tag:edge",
            "nb-login",
        }
        assert devices[f"{prefix}-b"]["device_type"] == "arista_eos"

        # An operator's own tag stays; the source's fields follow the source.
        patched = await admin.patch(f"/api/devices/{a['id']}", json={"tags": [*a["tags"], "mine"]})
        assert patched.status_code == 200, patched.text
        netbox.devices = [
            StandInDevice(1, f"{prefix}-a", "10.20.0.9/24", site="dc2", tags=[]),
        ]
        second = await sync(admin, source)
        assert second["counts"] == {
            "adopted": 0,
            "updated": 1,
            "orphaned": 1,
            "skipped": 0,
            "unchanged": 0,
        }
        changes = second["update"][0]["changes"]
        assert changes["ip_address"] == {"from": "10.20.0.1", "to": "10.20.0.9"}
        devices = await source_devices(admin, source)
        assert set(devices[f"{prefix}-a"]["tags"]) == {
            "mine",
            "nb-login",
            f"source:{source['name']}",
            "site:dc2",
            "role:core",
        }
        assert devices[f"{prefix}-b"]["orphaned_at"] is not None
        assert devices[f"{prefix}-a"]["orphaned_at"] is None
        orphans = await source_devices(admin, source, orphaned="true")
        assert list(orphans) == [f"{prefix}-b"]

        netbox.devices.append(
            StandInDevice(2, f"{prefix}-b", "10.20.0.2/24", platform="eos", role="access")
        )
        third = await sync(admin, source)
        assert third["counts"]["updated"] == 1
        assert third["update"][0]["changes"]["orphaned"] == {"from": True, "to": False}
        assert (await source_devices(admin, source, orphaned="true")) == {}
        listed = (await admin.get(f"/api/inventory-sources/{source['id']}")).json()
        assert listed["last_summary"]["updated"] == 1
        assert (listed["devices"], listed["orphaned"]) == (2, 0)

    async def test_a_dry_run_writes_nothing(self, admin: AsyncClient, netbox: StandIn) -> None:
        prefix = unique("dry")
        netbox.devices = [StandInDevice(1, f"{prefix}-a"), StandInDevice(2, f"{prefix}-b")]
        source = await create_source(admin, netbox)
        preview = await sync(admin, source, "preview")
        assert preview["dry_run"] is True
        assert sorted(d["hostname"] for d in preview["adopt"]) == [f"{prefix}-a", f"{prefix}-b"]
        assert await source_devices(admin, source) == {}
        after = (await admin.get(f"/api/inventory-sources/{source['id']}")).json()
        assert after["last_sync_at"] is None

    async def test_a_device_added_by_hand_is_never_overwritten(
        self, admin: AsyncClient, netbox: StandIn
    ) -> None:
        hostname = unique("manual")
        created = await admin.post(
            "/api/devices",
            json={"hostname": hostname, "ip_address": "10.30.0.1", "device_type": "cisco_ios"},
        )
        assert created.status_code == 201, created.text
        netbox.devices = [StandInDevice(7, hostname, "10.30.0.99/24")]
        source = await create_source(admin, netbox)
        report = await sync(admin, source)
        assert report["counts"]["skipped"] == 1
        assert "added by hand" in report["skipped"][0]["reason"]
        kept = (await admin.get(f"/api/devices/{created.json()['id']}")).json()
        assert (kept["ip_address"], kept["source_id"]) == ("10.30.0.1", None)

    async def test_devices_without_an_address_or_a_platform_are_skipped_with_why(
        self, admin: AsyncClient, netbox: StandIn
    ) -> None:
        prefix = unique("skip")
        netbox.devices = [
            StandInDevice(1, f"{prefix}-noip", None),
            StandInDevice(2, f"{prefix}-odd", platform="unknown-os"),
            StandInDevice(3, None),
        ]
        source = await create_source(admin, netbox)
        reasons = {s["name"]: s["reason"] for s in (await sync(admin, source))["skipped"]}
        assert reasons[f"{prefix}-noip"] == "no primary IP address"
        assert "'unknown-os' is not mapped" in reasons[f"{prefix}-odd"]
        assert reasons[None] == "no usable name"

    async def test_every_page_is_read_and_filters_reach_the_source(
        self, admin: AsyncClient, netbox: StandIn
    ) -> None:
        prefix = unique("page")
        netbox.max_page = 3
        netbox.devices = [
            StandInDevice(n, f"{prefix}-{n:02}", f"10.40.0.{n}/24") for n in range(1, 11)
        ] + [StandInDevice(99, f"{prefix}-other", "10.40.1.1/24", site="lab")]
        source = await create_source(admin, netbox, filters={"site": ["dc1"], "status": ["active"]})
        report = await sync(admin, source)
        assert report["counts"]["adopted"] == 10
        pages = netbox.device_requests()
        assert len(pages) == 4
        assert all("site=dc1" in page and "status=active" in page for page in pages)

    async def test_a_bad_token_is_a_502_naming_the_source_and_is_kept(
        self, admin: AsyncClient, netbox: StandIn
    ) -> None:
        source = await create_source(admin, netbox, token="wrong-token")
        response = await admin.post(f"/api/inventory-sources/{source['id']}/sync")
        assert response.status_code == 502
        assert source["name"] in response.json()["error"]
        assert "refused the token" in response.json()["error"]
        after = (await admin.get(f"/api/inventory-sources/{source['id']}")).json()
        assert source["name"] in after["last_error"]
        preview = await admin.post(f"/api/inventory-sources/{source['id']}/preview")
        assert preview.status_code == 502

    async def test_a_source_that_does_not_answer_is_a_502_naming_it(
        self, admin: AsyncClient, netbox: StandIn
    ) -> None:
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
            url = f"http://127.0.0.1:{closed.getsockname()[1]}"
        source = await create_source(admin, netbox, url=url)
        response = await admin.post(f"/api/inventory-sources/{source['id']}/preview")
        assert response.status_code == 502
        assert f"'{source['name']}'" in response.json()["error"]
        assert "did not answer" in response.json()["error"]


class TestNautobotSync:
    async def test_nautobot_2_shapes_are_read_with_depth_and_location_filters(
        self, admin: AsyncClient, nautobot: StandIn
    ) -> None:
        prefix = unique("nau")
        nautobot.max_page = 1
        nautobot.devices = [
            StandInDevice(1, f"{prefix}-a", "10.50.0.1/24", tags=["wan"]),
            StandInDevice(2, f"{prefix}-b", "10.50.0.2/24", site="Branch"),
            StandInDevice(3, f"{prefix}-c", "10.50.0.3/24"),
        ]
        source = await create_source(
            admin,
            nautobot,
            filters={"site": ["dc1"]},
            tag_fields=["site", "tags"],
            platform_map={},
            default_platform="cisco_xe",
        )
        report = await sync(admin, source)
        assert [d["hostname"] for d in report["adopt"]] == [f"{prefix}-a", f"{prefix}-c"]
        adopted = report["adopt"][0]
        assert (adopted["ip_address"], adopted["device_type"]) == ("10.50.0.1", "cisco_xe")
        assert "site:dc1" in adopted["tags"] and "tag:wan" in adopted["tags"]
        pages = nautobot.device_requests()
        assert len(pages) == 2
        assert all("depth=1" in page and "location=dc1" in page for page in pages)

    async def test_a_bad_nautobot_token_is_a_502_naming_the_source(
        self, admin: AsyncClient, nautobot: StandIn
    ) -> None:
        source = await create_source(admin, nautobot, token="wrong")
        response = await admin.post(f"/api/inventory-sources/{source['id']}/sync")
        assert response.status_code == 502
        assert f"'{source['name']}'" in response.json()["error"]
        assert "refused the token" in response.json()["error"]
