"""Helpers for the inventory sync tests: a stand-in per test, and sources pointing at it."""

from collections.abc import Iterator

import pytest
from httpx import AsyncClient

from tests.fixtures.factories import unique
from tests.fixtures.inventory_stand_in import StandIn, serve


@pytest.fixture
def netbox() -> Iterator[StandIn]:
    yield from serve("netbox")


@pytest.fixture
def nautobot() -> Iterator[StandIn]:
    yield from serve("nautobot")


async def create_source(admin: AsyncClient, stand_in: StandIn, **fields) -> dict:
    body = {
        "name": unique("src"),
        "kind": stand_in.kind,
        "url": stand_in.url,
        "token": stand_in.token,
        "platform_map": {"ios": "cisco_ios", "eos": "arista_eos"},
    } | fields
    response = await admin.post("/api/inventory-sources", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def sync(admin: AsyncClient, source: dict, action: str = "sync") -> dict:
    response = await admin.post(f"/api/inventory-sources/{source['id']}/{action}")
    assert response.status_code == 200, response.text
    return response.json()


async def source_devices(admin: AsyncClient, source: dict, **filters) -> dict[str, dict]:
    response = await admin.get(
        "/api/devices", params={"source_id": source["id"], "limit": 500, **filters}
    )
    assert response.status_code == 200, response.text
    return {d["hostname"]: d for d in response.json()["items"]}
