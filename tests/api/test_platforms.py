"""The platforms a device may name: listed by the api, and the only device_types it accepts."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from netraven_api.app import create_app
from netraven_api.config import ApiSettings

from tests.fixtures.factories import create_device, unique

ACME = """\
platform: acme_os
description: ACME OS switches
netmiko_device_type: cisco_ios
"""
BROKEN = """\
platform: broken_os
netmiko_device_type: cisco_ios
noise: ['(unclosed']
"""


def _device_body(device_type: str) -> dict:
    return {"hostname": unique("plat"), "ip_address": "10.4.0.1", "device_type": device_type}


@pytest.fixture
async def local_drivers_app(api_settings: ApiSettings, tmp_path: Path) -> AsyncIterator[FastAPI]:
    """The api started with a drivers directory holding one good and one broken file (without its
    lifespan: these requests need the database, not the bus)."""
    (tmp_path / "acme.yaml").write_text(ACME)
    (tmp_path / "broken.yaml").write_text(BROKEN)
    app = create_app(api_settings.model_copy(update={"drivers_dir": tmp_path}))
    yield app
    await app.state.sessions.kw["bind"].dispose()


def _client_as(app: FastAPI, signed_in: httpx.AsyncClient) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://api.test",
        headers={"Authorization": signed_in.headers["Authorization"]},
    )


class TestListingPlatforms:
    async def test_a_viewer_sees_the_built_ins_sorted(self, viewer: httpx.AsyncClient) -> None:
        response = await viewer.get("/api/platforms")
        assert response.status_code == 200, response.text
        body = response.json()
        names = [p["platform"] for p in body["platforms"]]
        assert names == sorted(names)
        ios = next(p for p in body["platforms"] if p["platform"] == "cisco_ios")
        assert (ios["source"], ios["netmiko_device_type"]) == ("built-in", "cisco_ios")
        panos = next(p for p in body["platforms"] if p["platform"] == "paloalto_panos_api")
        assert panos["input"] == "panos_xml_api"
        assert body["errors"] == []

    async def test_anonymous_is_401(self, anonymous: httpx.AsyncClient) -> None:
        assert (await anonymous.get("/api/platforms")).status_code == 401

    async def test_local_drivers_are_marked_and_broken_files_named(
        self, local_drivers_app: FastAPI, viewer: httpx.AsyncClient
    ) -> None:
        async with _client_as(local_drivers_app, viewer) as client:
            body = (await client.get("/api/platforms")).json()
        acme = next(p for p in body["platforms"] if p["platform"] == "acme_os")
        assert acme == {
            "platform": "acme_os",
            "description": "ACME OS switches",
            "source": "local",
            "netmiko_device_type": "cisco_ios",
            "input": "cli",
            "outputs": [],
            "facts": [],
        }
        assert "broken_os" not in {p["platform"] for p in body["platforms"]}
        [error] = body["errors"]
        assert (Path(error["file"]).name, error["field"]) == ("broken.yaml", "noise")
        assert error["message"]

    async def test_a_platform_lists_its_extra_outputs_and_facts(
        self, viewer: httpx.AsyncClient
    ) -> None:
        body = (await viewer.get("/api/platforms")).json()
        ios = next(p for p in body["platforms"] if p["platform"] == "cisco_ios")
        assert ios["outputs"] == ["version", "inventory"]
        assert set(ios["facts"]) == {"model", "serial_number", "os_version"}


class TestDeviceTypesMustHaveADriver:
    async def test_creating_with_an_unknown_platform_is_422_naming_the_supported(
        self, operator: httpx.AsyncClient
    ) -> None:
        body = _device_body("acme_os")
        response = await operator.post("/api/devices", json=body)
        assert response.status_code == 422, response.text
        error = response.json()
        assert "acme_os" in error["error"] and "cisco_ios" in error["error"]
        assert "cisco_ios" in error["platforms"] and "acme_os" not in error["platforms"]
        listed = (await operator.get("/api/devices", params={"q": body["hostname"]})).json()
        assert listed["total"] == 0

    async def test_changing_to_an_unknown_platform_is_422_and_changes_nothing(
        self, operator: httpx.AsyncClient
    ) -> None:
        device = await create_device(operator, 2400, unique("t"))
        response = await operator.patch(
            f"/api/devices/{device['id']}", json={"device_type": "acme_os"}
        )
        assert response.status_code == 422, response.text
        assert "juniper_junos" in response.json()["platforms"]
        unchanged = (await operator.get(f"/api/devices/{device['id']}")).json()
        assert unchanged["device_type"] == "cisco_ios"

    async def test_a_local_platform_is_accepted(
        self, local_drivers_app: FastAPI, operator: httpx.AsyncClient
    ) -> None:
        async with _client_as(local_drivers_app, operator) as client:
            created = await client.post("/api/devices", json=_device_body("acme_os"))
            assert created.status_code == 201, created.text
            assert created.json()["device_type"] == "acme_os"
            refused = await client.post("/api/devices", json=_device_body("broken_os"))
            assert refused.status_code == 422
            await client.delete(f"/api/devices/{created.json()['id']}")

    async def test_a_device_whose_driver_went_away_stays_editable(
        self, local_drivers_app: FastAPI, operator: httpx.AsyncClient
    ) -> None:
        async with _client_as(local_drivers_app, operator) as client:
            created = (await client.post("/api/devices", json=_device_body("acme_os"))).json()
        response = await operator.patch(
            f"/api/devices/{created['id']}", json={"device_type": "acme_os", "port": 2222}
        )
        assert response.status_code == 200, response.text
        assert (response.json()["device_type"], response.json()["port"]) == ("acme_os", 2222)
        await operator.delete(f"/api/devices/{created['id']}")

    async def test_an_import_row_with_an_unknown_platform_fails_alone(
        self, operator: httpx.AsyncClient
    ) -> None:
        good, bad = _device_body("cisco_ios"), _device_body("acme_os")
        csv = (
            "hostname,ip_address,device_type\n"
            f"{bad['hostname']},10.4.0.2,acme_os\n{good['hostname']},10.4.0.3,cisco_ios\n"
        )
        response = await operator.post(
            "/api/devices/import", content=csv, headers={"Content-Type": "text/csv"}
        )
        assert response.status_code == 200, response.text
        report = response.json()
        assert (report["created"], report["failed"]) == (1, 1)
        failed = report["rows"][0]
        assert (failed["hostname"], failed["status"]) == (bad["hostname"], "failed")
        assert "device_type" in failed["error"] and "acme_os" in failed["error"]
        assert "cisco_ios" in failed["error"]
