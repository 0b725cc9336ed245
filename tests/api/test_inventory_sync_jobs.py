"""The `inventory_sync` job kind: a job naming a source, run by the api when the scheduler asks for
its slot or on "run now"; its run is finished at once with the sync's counts or why it failed.
Orphaned devices are left out of job runs."""

from datetime import UTC, datetime
from uuid import UUID

from faststream.nats import NatsBroker
from httpx import AsyncClient
from netraven_shared.events.run_rpc import StartRunRequest

from tests.api.inventory_sources import create_source, source_devices, sync
from tests.api.test_start_run import ask
from tests.fixtures.factories import unique
from tests.fixtures.inventory_stand_in import StandIn, StandInDevice


async def sync_job(client: AsyncClient, source: dict, **fields) -> dict:
    body = {
        "name": unique("sync-job"),
        "kind": "inventory_sync",
        "inventory_source_id": source["id"],
    } | fields
    response = await client.post("/api/jobs", json=body)
    assert response.status_code == 201, response.text
    return response.json()


class TestSyncJobs:
    async def test_the_schedulers_slot_runs_the_sync_and_records_its_counts(
        self, admin: AsyncClient, broker: NatsBroker, netbox: StandIn
    ) -> None:
        prefix = unique("slot")
        netbox.devices = [StandInDevice(1, f"{prefix}-a"), StandInDevice(2, f"{prefix}-b")]
        source = await create_source(admin, netbox)
        job = await sync_job(admin, source, schedule={"type": "interval", "seconds": 3600})
        request = StartRunRequest(
            job_id=UUID(job["id"]), slot=datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
        )
        reply = await ask(broker, request)
        assert reply.outcome == "created"
        assert (await ask(broker, request)).outcome == "existed"
        run = (await admin.get(f"/api/runs/{reply.run_id}")).json()
        assert (run["kind"], run["status"], run["trigger"]) == (
            "inventory_sync",
            "succeeded",
            "schedule",
        )
        assert run["summary"]["adopted"] == 2
        assert run["finished_at"] is not None
        assert set(await source_devices(admin, source)) == {f"{prefix}-a", f"{prefix}-b"}

    async def test_run_now_of_a_failing_source_records_a_failed_run_with_why(
        self, admin: AsyncClient, netbox: StandIn
    ) -> None:
        source = await create_source(admin, netbox, token="not-the-token")
        job = await sync_job(admin, source)
        response = await admin.post(f"/api/jobs/{job['id']}/run")
        assert response.status_code == 202, response.text
        run = (await admin.get(f"/api/runs/{response.json()['run_id']}")).json()
        assert run["status"] == "failed"
        assert source["name"] in run["error"] and "token" in run["error"]
        kept = (await admin.get(f"/api/inventory-sources/{source['id']}")).json()
        assert kept["last_error"] == run["error"]

    async def test_only_admins_create_sync_jobs_and_a_sync_job_names_a_source(
        self, admin: AsyncClient, operator: AsyncClient, netbox: StandIn
    ) -> None:
        source = await create_source(admin, netbox)
        body = {"name": unique("j"), "kind": "inventory_sync", "inventory_source_id": source["id"]}
        assert (await operator.post("/api/jobs", json=body)).status_code == 403
        no_source = await admin.post(
            "/api/jobs", json={"name": unique("j"), "kind": "inventory_sync"}
        )
        assert no_source.status_code == 422


class TestOrphansAreNotBackedUp:
    async def test_a_job_run_leaves_orphaned_devices_out(
        self, admin: AsyncClient, netbox: StandIn
    ) -> None:
        prefix = unique("orph")
        netbox.devices = [StandInDevice(1, f"{prefix}-a"), StandInDevice(2, f"{prefix}-b")]
        source = await create_source(admin, netbox)
        await sync(admin, source)
        netbox.devices = netbox.devices[:1]
        await sync(admin, source)
        assert list(await source_devices(admin, source, orphaned="true")) == [f"{prefix}-b"]
        job = await admin.post(
            "/api/jobs", json={"name": unique("backup"), "tags": [f"source:{source['name']}"]}
        )
        assert job.status_code == 201, job.text
        run_id = (await admin.post(f"/api/jobs/{job.json()['id']}/run")).json()["run_id"]
        run = (await admin.get(f"/api/runs/{run_id}")).json()
        assert [r["hostname"] for r in run["results"]] == [f"{prefix}-a"]
