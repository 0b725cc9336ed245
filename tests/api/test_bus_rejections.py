"""The admins' view of rejected messages: a page with its cursor, a summary per subject and
identity."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from httpx import AsyncClient
from netraven_shared.db.models import RejectedEvent
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


@pytest.fixture
async def subject(sessions: async_sessionmaker[AsyncSession]) -> str:
    """Three rejections on a subject of its own: two from the worker identity (one old), one from
    none."""
    name = f"netraven.test.{uuid.uuid4().hex[:8]}"
    now = datetime.now(UTC)
    async with sessions() as session:
        for identity, age in (
            ("worker", timedelta(days=2)),
            ("worker", timedelta(0)),
            (None, timedelta(0)),
        ):
            session.add(
                RejectedEvent(
                    event_id=uuid.uuid4(),
                    occurred_at=now - age,
                    rejected_subject=name,
                    reason="device x is not in the inventory",
                    service="gitkeeper",
                    identity=identity,
                )
            )
        await session.commit()
    return name


class TestRejections:
    async def test_newest_first_filtered_and_paged(self, admin: AsyncClient, subject: str) -> None:
        first = (
            await admin.get("/api/bus/rejections", params={"subject": subject, "limit": 2})
        ).json()
        assert [item["rejected_subject"] for item in first["items"]] == [subject, subject]
        assert first["items"][0]["id"] > first["items"][1]["id"]
        assert set(first["items"][0]) == {
            "id",
            "occurred_at",
            "rejected_subject",
            "reason",
            "service",
            "identity",
        }
        rest = (
            await admin.get(
                "/api/bus/rejections",
                params={"subject": subject, "limit": 2, "before": first["next_before"]},
            )
        ).json()
        assert len(rest["items"]) == 1 and rest["next_before"] is None
        workers = (
            await admin.get(
                "/api/bus/rejections",
                params={"subject": subject, "identity": "worker", "service": "gitkeeper"},
            )
        ).json()
        assert [item["identity"] for item in workers["items"]] == ["worker", "worker"]

    async def test_summary_counts_per_subject_and_identity_since_a_time(
        self, admin: AsyncClient, subject: str
    ) -> None:
        since = (datetime.now(UTC) - timedelta(days=1)).isoformat()
        summary = (await admin.get("/api/bus/rejections/summary", params={"since": since})).json()
        mine = {
            (g["identity"], g["count"])
            for g in summary["groups"]
            if g["rejected_subject"] == subject
        }
        assert mine == {("worker", 1), (None, 1)}
        assert summary["total"] >= 2 and all(g["last_at"] for g in summary["groups"])

    @pytest.mark.parametrize("path", ["/api/bus/rejections", "/api/bus/rejections/summary"])
    async def test_admins_only(
        self, viewer: AsyncClient, operator: AsyncClient, anonymous: AsyncClient, path: str
    ) -> None:
        assert (await viewer.get(path)).status_code == 403
        assert (await operator.get(path)).status_code == 403
        assert (await anonymous.get(path)).status_code == 401
