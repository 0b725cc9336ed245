"""The audit trail's read-only api (admins only, filtered, paged back in time) and its retention
sweep. What gets recorded is in test_audit_trail_recording.py."""

from datetime import UTC, datetime, timedelta

from httpx import AsyncClient
from netraven_api.audit.repository import delete_older_than
from netraven_shared.db.models import AuditEntry
from netraven_shared.retention import Retention, sweep_expired
from sqlalchemy import select

from tests.fixtures.factories import create_device, unique


class TestAuditApi:
    async def test_only_admins_read_it(self, operator: AsyncClient, viewer: AsyncClient) -> None:
        assert (await operator.get("/api/audit")).status_code == 403
        assert (await viewer.get("/api/audit")).status_code == 403

    async def test_there_is_no_way_to_change_an_entry(self, admin: AsyncClient) -> None:
        for method in ("PUT", "PATCH", "DELETE"):
            assert (await admin.request(method, "/api/audit")).status_code == 405

    async def test_filters_by_actor_action_prefix_object_and_time(
        self, admin: AsyncClient, operator: AsyncClient
    ) -> None:
        started = datetime.now(UTC)
        device = await create_device(operator, 2960, unique("audit"))
        await operator.patch(f"/api/devices/{device['id']}", json={"port": 2961})
        operator_id = (await operator.get("/api/users/me")).json()["id"]
        params = {
            "actor": operator_id,
            "action": "device.",
            "object_id": device["id"],
            "since": started.isoformat(),
        }
        items = (await admin.get("/api/audit", params=params)).json()["items"]
        assert [item["action"] for item in items] == ["device.update", "device.create"]
        by_name = (await admin.get("/api/audit", params=params | {"actor": "operator"})).json()[
            "items"
        ]
        assert by_name == items
        assert (await admin.get("/api/audit", params=params | {"actor": "admin"})).json()[
            "items"
        ] == []
        assert (await admin.get("/api/audit", params=params | {"object_type": "tag"})).json()[
            "items"
        ] == []
        before_it = {key: value for key, value in params.items() if key != "since"} | {
            "until": started.isoformat()
        }
        assert (await admin.get("/api/audit", params=before_it)).json()["items"] == []
        assert (await admin.get("/api/audit", params=params | {"outcome": "denied"})).json()[
            "items"
        ] == []

    async def test_pages_go_back_in_time_without_gaps_or_repeats(
        self, admin: AsyncClient, operator: AsyncClient
    ) -> None:
        device = await create_device(operator, 2962, unique("audit"))
        for port in range(2963, 2968):
            await operator.patch(f"/api/devices/{device['id']}", json={"port": port})
        params = {"object_id": device["id"], "limit": 2}
        everything = (await admin.get("/api/audit", params={"object_id": device["id"]})).json()[
            "items"
        ]
        assert len(everything) == 6
        seen, before = [], None
        while True:
            page = (
                await admin.get(
                    "/api/audit", params=params | ({"before": before} if before else {})
                )
            ).json()
            seen += page["items"]
            before = page["next_before"]
            if before is None:
                break
        assert [entry["id"] for entry in seen] == [entry["id"] for entry in everything]
        assert [entry["at"] for entry in everything] == sorted(
            (entry["at"] for entry in everything), reverse=True
        )

    async def test_a_bad_cursor_or_window_is_422(self, admin: AsyncClient) -> None:
        assert (await admin.get("/api/audit", params={"before": "not-a-cursor"})).status_code == 422
        assert (await admin.get("/api/audit", params={"limit": 501})).status_code == 422
        window = {"since": "2026-01-02T00:00:00Z", "until": "2026-01-01T00:00:00Z"}
        assert (await admin.get("/api/audit", params=window)).status_code == 422


class TestRetention:
    async def test_the_sweep_deletes_entries_older_than_the_retention_only(self, sessions) -> None:
        now = datetime.now(UTC)
        marker = unique("retention")
        async with sessions() as session:
            for age_days in (400, 366, 364, 1):
                session.add(
                    AuditEntry(
                        at=now - timedelta(days=age_days),
                        action="test.retention",
                        object_id=f"{marker}-{age_days}",
                        outcome="success",
                    )
                )
            await session.commit()
        keep_forever = Retention("audit entries", 0, delete_older_than)
        assert await sweep_expired(sessions, keep_forever, now) == 0
        a_year = Retention("audit entries", 365, delete_older_than)
        assert await sweep_expired(sessions, a_year, now) >= 2
        async with sessions() as session:
            kept = set(
                await session.scalars(
                    select(AuditEntry.object_id).where(AuditEntry.object_id.startswith(marker))
                )
            )
        assert kept == {f"{marker}-364", f"{marker}-1"}
