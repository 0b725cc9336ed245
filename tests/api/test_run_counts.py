"""Every run listed by GET /api/runs shows its real ok / failed / total devices: ad-hoc backups and
reachability checks included, after the device they ran on is deleted (its results go with it)."""

from faststream.nats import NatsBroker
from httpx import AsyncClient

from tests.api.test_device_reachability import eventually, report
from tests.fixtures.factories import create_device, create_job, unique


async def listed(client: AsyncClient, run_id: str) -> dict:
    items = (await client.get("/api/runs", params={"limit": 500})).json()["items"]
    return next(item for item in items if item["id"] == run_id)


def counts(run: dict) -> tuple[int, int, int]:
    return run["succeeded"], run["failed"], run["device_count"]


async def delete_device(admin: AsyncClient, device: dict) -> None:
    assert (await admin.delete(f"/api/devices/{device['id']}")).status_code == 204


class TestRunCounts:
    async def test_an_ad_hoc_backup_counts_its_one_device(self, operator: AsyncClient) -> None:
        device = await create_device(operator, 22, unique("t"))
        run_id = (await operator.post(f"/api/devices/{device['id']}/backup")).json()["run_id"]
        assert counts(await listed(operator, run_id)) == (0, 0, 1)

    async def test_a_job_run_counts_every_target(self, admin: AsyncClient) -> None:
        devices = [await create_device(admin, 22, unique("t")) for _ in range(2)]
        job = await create_job(admin, [d["id"] for d in devices])
        run_id = (await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]
        assert counts(await listed(admin, run_id)) == (0, 0, 2)

    async def test_an_ad_hoc_backup_keeps_its_count_when_its_device_is_deleted(
        self,
        operator: AsyncClient,
        admin: AsyncClient,
    ) -> None:
        device = await create_device(operator, 22, unique("t"))
        run_id = (await operator.post(f"/api/devices/{device['id']}/backup")).json()["run_id"]
        await delete_device(admin, device)
        assert counts(await listed(operator, run_id)) == (0, 0, 1)
        assert counts((await operator.get(f"/api/runs/{run_id}")).json()) == (0, 0, 1)

    async def test_finished_reachability_checks_keep_their_outcome_when_the_device_is_deleted(
        self,
        operator: AsyncClient,
        admin: AsyncClient,
        broker: NatsBroker,
    ) -> None:
        device = await create_device(operator, 22, unique("t"))
        check = f"/api/devices/{device['id']}/reachability"
        reachable, unreachable = [(await operator.post(check)).json()["run_id"] for _ in range(2)]
        await report(broker, reachable, device, True, latency_ms=1.5)
        await report(broker, unreachable, device, False, error="connection refused")
        for run_id in (reachable, unreachable):
            await eventually(
                operator, f"/api/runs/{run_id}", lambda run: run["finished_at"] is not None
            )
        assert counts(await listed(operator, reachable)) == (1, 0, 1)
        await delete_device(admin, device)
        assert counts(await listed(operator, reachable)) == (1, 0, 1)
        assert counts(await listed(operator, unreachable)) == (0, 1, 1)
