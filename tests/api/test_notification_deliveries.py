"""The notifier's delivery log as admins read it, and "send a test" answered over real NATS."""

from collections.abc import AsyncIterator
from datetime import timedelta
from uuid import UUID, uuid4

import pytest
from httpx import AsyncClient
from netraven_shared.db.models import NotificationDelivery
from netraven_shared.events import subjects
from netraven_shared.events.base import utc_now
from netraven_shared.events.notification_rpc import NotificationTestReply, SendTestNotification
from netraven_shared.messaging import build_broker
from netraven_shared.settings import NetRavenSettings

from tests.api.audit_entries import newest
from tests.api.notification_channels import create_channel
from tests.fixtures.infra import Infra

DELIVERIES = "/api/notifications/deliveries"


async def record_deliveries(sessions, channel_id: str, statuses: list[str]) -> list[int]:
    """Rows as the notifier writes them, oldest first."""
    start = utc_now() - timedelta(minutes=len(statuses))
    rows = [
        NotificationDelivery(
            channel_id=UUID(channel_id),
            event_id=uuid4(),
            event_kind="backup_failed",
            severity="warning",
            title=f"delivery {index}",
            body={"event": "backup_failed"},
            status=status,
            attempts=index + 1,
            last_error="webhook answered 500" if status == "failed" else None,
            created_at=start + timedelta(minutes=index),
        )
        for index, status in enumerate(statuses)
    ]
    async with sessions() as session:
        session.add_all(rows)
        await session.commit()
        return [row.id for row in rows]


class TestDeliveryLog:
    async def test_newest_first_paged_and_filtered(self, admin: AsyncClient, sessions) -> None:
        channel = await create_channel(admin)
        other = await create_channel(admin)
        ids = await record_deliveries(sessions, channel["id"], ["delivered", "failed", "pending"])
        await record_deliveries(sessions, other["id"], ["delivered"])
        params = {"channel_id": channel["id"], "limit": 2}
        first = (await admin.get(DELIVERIES, params=params)).json()
        assert [d["id"] for d in first["items"]] == [ids[2], ids[1]]
        assert first["items"][1]["last_error"] == "webhook answered 500"
        assert first["items"][1]["attempts"] == 2
        second = (
            await admin.get(DELIVERIES, params=params | {"before": first["next_before"]})
        ).json()
        assert [d["id"] for d in second["items"]] == [ids[0]]
        assert second["next_before"] is None
        failed = await admin.get(
            DELIVERIES, params={"channel_id": channel["id"], "status": "failed"}
        )
        assert [d["id"] for d in failed.json()["items"]] == [ids[1]]

    async def test_an_unused_channel_has_an_empty_log(self, admin: AsyncClient) -> None:
        channel = await create_channel(admin)
        page = (await admin.get(DELIVERIES, params={"channel_id": channel["id"]})).json()
        assert page == {"items": [], "next_before": None}

    async def test_bad_filters_are_422(self, admin: AsyncClient) -> None:
        for params in ({"status": "lost"}, {"limit": 0}, {"before": "x"}, {"channel_id": "1"}):
            assert (await admin.get(DELIVERIES, params=params)).status_code == 422

    async def test_only_admins(self, operator: AsyncClient, viewer: AsyncClient) -> None:
        for client in (operator, viewer):
            assert (await client.get(DELIVERIES)).status_code == 403


@pytest.fixture
async def fake_notifier(infra: Infra) -> AsyncIterator[dict]:
    """Answers send-test requests as a notifier would; `answers["reply"]` is what it says."""
    answers: dict = {}
    broker = build_broker(NetRavenSettings(**infra.nats_settings()), "tests", "fake-notifier")

    @broker.subscriber(subjects.SEND_TEST_NOTIFICATION)
    async def send_test(request: SendTestNotification) -> NotificationTestReply:
        answers["request"] = request
        return answers["reply"]

    await broker.start()
    yield answers
    await broker.stop()


class TestSendTest:
    async def test_without_a_notifier_the_answer_says_so(self, admin: AsyncClient) -> None:
        channel = await create_channel(admin)
        response = await admin.post(f"/api/notifications/channels/{channel['id']}/test")
        assert response.status_code == 503, response.text
        assert response.json()["error"] == (
            "no notifier answered within 15 s: is the notifier service running?"
        )

    async def test_the_notifiers_reply_is_the_answer(
        self, admin: AsyncClient, fake_notifier: dict
    ) -> None:
        channel = await create_channel(admin)
        fake_notifier["reply"] = NotificationTestReply(
            outcome="failed", delivery_id=7, error="webhook answered 401 Unauthorized"
        )
        response = await admin.post(f"/api/notifications/channels/{channel['id']}/test")
        assert response.status_code == 200, response.text
        assert response.json() == {
            "outcome": "failed",
            "delivery_id": 7,
            "error": "webhook answered 401 Unauthorized",
        }
        request = fake_notifier["request"]
        assert (str(request.channel_id), request.requested_by) == (channel["id"], "admin")
        entry = await newest(admin, "notification_channel.test", object_id=channel["id"])
        assert (entry["outcome"], entry["detail"]) == (
            "failure",
            "webhook answered 401 Unauthorized",
        )

    async def test_delivered(self, admin: AsyncClient, fake_notifier: dict) -> None:
        channel = await create_channel(admin)
        fake_notifier["reply"] = NotificationTestReply(outcome="delivered", delivery_id=8)
        response = await admin.post(f"/api/notifications/channels/{channel['id']}/test")
        assert response.json()["outcome"] == "delivered"

    async def test_an_unknown_channel_is_404_without_asking(self, admin: AsyncClient) -> None:
        response = await admin.post(f"/api/notifications/channels/{uuid4()}/test")
        assert response.status_code == 404
