"""GET /api/runs?q=: the text an operator types in the runs table's search box."""

import pytest
from httpx import AsyncClient

from tests.fixtures.factories import create_device, create_job, unique


@pytest.fixture
async def run_of_edge_router(admin: AsyncClient) -> dict:
    device = await create_device(admin, 2470, "runsearch", hostname=unique("EDGE-rtr"))
    job = await create_job(admin, [device["id"]])
    run_id = (await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]
    return {"run_id": run_id, "hostname": device["hostname"], "job_name": job["name"]}


async def run_ids(client: AsyncClient, **params) -> list[str]:
    response = await client.get("/api/runs", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"])
    return [run["id"] for run in body["items"]]


class TestRunSearch:
    async def test_finds_a_run_by_a_device_hostname_ignoring_case(
        self, viewer: AsyncClient, run_of_edge_router: dict
    ) -> None:
        assert await run_ids(viewer, q=run_of_edge_router["hostname"].lower()) == [
            run_of_edge_router["run_id"]
        ]

    async def test_finds_a_run_by_its_job_name(
        self, viewer: AsyncClient, run_of_edge_router: dict
    ) -> None:
        assert await run_ids(viewer, q=run_of_edge_router["job_name"]) == [
            run_of_edge_router["run_id"]
        ]

    async def test_combines_with_the_status_filter(
        self, viewer: AsyncClient, run_of_edge_router: dict
    ) -> None:
        assert await run_ids(viewer, q=run_of_edge_router["hostname"], status="succeeded") == []

    async def test_wildcards_are_taken_literally(
        self, viewer: AsyncClient, run_of_edge_router: dict
    ) -> None:
        assert await run_ids(viewer, q="EDGE_rtr") == []

    @pytest.mark.parametrize("q", ["", "x" * 201])
    async def test_empty_or_long_text_is_refused(self, viewer: AsyncClient, q: str) -> None:
        assert (await viewer.get("/api/runs", params={"q": q})).status_code == 422
