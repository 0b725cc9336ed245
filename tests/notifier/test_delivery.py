"""Delivering through real receivers, with the delivery log in the real PostgreSQL: a signed
webhook, Apprise's JSON target and e-mail through a local SMTP server; retries, the sweep, the
test message, and a redelivered event sending nothing twice."""

import asyncio
import hashlib
import hmac
import uuid

import nats
from netraven_notifier.dispatcher import Dispatcher
from netraven_notifier.messages import Messages
from netraven_notifier.retry_sweep import RetrySweep
from netraven_shared.db.models import NotificationDelivery
from netraven_shared.events import ConfigChanged, LogEmitted
from netraven_shared.events.logs import LOG_LINE_SUBJECTS, lines_in
from prometheus_client import REGISTRY
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.consumers import wait_until
from tests.fixtures.infra import Infra
from tests.fixtures.notification_receivers import http_receiver, smtp_receiver, text_of
from tests.notifier.rows import add_channel, add_device, add_tag

SECRET = "webhook-secret-for-tests"


def change(device_id: uuid.UUID, hostname: str) -> ConfigChanged:
    return ConfigChanged(
        device_id=device_id,
        hostname=hostname,
        new_commit="c" * 40,
        diff="-ntp server 10.0.0.1\n+ntp server 10.0.0.2",
        changed_lines=2,
    )


async def deliveries_of(
    db: async_sessionmaker[AsyncSession], channel_id: uuid.UUID
) -> list[NotificationDelivery]:
    async with db() as session:
        rows = await session.scalars(
            select(NotificationDelivery)
            .where(NotificationDelivery.channel_id == channel_id)
            .order_by(NotificationDelivery.id)
        )
        return list(rows)


class TestWebhook:
    async def test_a_change_arrives_signed_with_its_diff(
        self, dispatcher: Dispatcher, db: async_sessionmaker[AsyncSession]
    ) -> None:
        device = await add_device(db)
        delivered_before = notifications("delivered")
        with http_receiver() as receiver:
            channel = await add_channel(db, f"{receiver.url}/hook", secret=SECRET)
            await dispatcher.notify(
                Messages(None).config_changed(change(device.id, device.hostname))
            )
            (request,) = receiver.received
        assert notifications("delivered") == delivered_before + 1
        expected = hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(request.headers["X-NetRaven-Signature"], f"sha256={expected}")
        assert request.headers["X-NetRaven-Event"] == "config_changed"
        assert int(request.headers["X-NetRaven-Timestamp"]) == request.json()["sent_at"]
        payload = request.json()
        assert payload["device"] == {"id": str(device.id), "hostname": device.hostname}
        assert payload["diff"] == "-ntp server 10.0.0.1\n+ntp server 10.0.0.2"
        (row,) = await deliveries_of(db, channel)
        assert (row.status, row.attempts, row.event_kind) == ("delivered", 1, "config_changed")

    async def test_an_event_delivered_again_sends_nothing_twice(
        self, dispatcher: Dispatcher, db: async_sessionmaker[AsyncSession]
    ) -> None:
        device = await add_device(db)
        event = change(device.id, device.hostname)
        with http_receiver() as receiver:
            channel = await add_channel(db, receiver.url, secret=SECRET)
            for _ in range(3):
                await dispatcher.notify(Messages(None).config_changed(event))
            assert len(receiver.received) == 1
        assert len(await deliveries_of(db, channel)) == 1

    async def test_a_device_the_database_does_not_know_is_not_notified(
        self, dispatcher: Dispatcher, db: async_sessionmaker[AsyncSession]
    ) -> None:
        with http_receiver() as receiver:
            channel = await add_channel(db, receiver.url)
            await dispatcher.notify(Messages(None).config_changed(change(uuid.uuid4(), "ghost")))
            assert receiver.received == []
        assert await deliveries_of(db, channel) == []

    async def test_a_rule_for_other_tags_sends_nothing(
        self, dispatcher: Dispatcher, db: async_sessionmaker[AsyncSession]
    ) -> None:
        core, edge = await add_tag(db), await add_tag(db)
        device = await add_device(db, (edge,))
        with http_receiver() as receiver:
            channel = await add_channel(db, receiver.url, tag_ids=(core,))
            await dispatcher.notify(
                Messages(None).config_changed(change(device.id, device.hostname))
            )
            assert receiver.received == []
        assert await deliveries_of(db, channel) == []

    async def test_a_failing_channel_is_retried_logged_and_swept_later(
        self,
        dispatcher: Dispatcher,
        db: async_sessionmaker[AsyncSession],
        infra: Infra,
    ) -> None:
        device = await add_device(db)
        failed_before = notifications("failed")
        logged: list[LogEmitted] = []

        async def collect(message) -> None:
            logged.extend(lines_in(message.subject, message.data))

        client = await nats.connect(**infra.nats_options())
        for subject in LOG_LINE_SUBJECTS:
            await client.subscribe(subject, cb=collect)
        with http_receiver() as receiver:
            receiver.status = 503
            channel = await add_channel(db, f"{receiver.url}/token-in-path", secret=SECRET)
            await dispatcher.notify(
                Messages(None).config_changed(change(device.id, device.hostname))
            )
            (row,) = await deliveries_of(db, channel)
            assert (row.status, row.attempts) == ("failed", 3)
            assert row.last_error == "webhook answered 503 Service Unavailable"
            assert notifications("failed") == failed_before + 1, "once, after its 3 attempts"
            await wait_until(lambda: _any_about(logged, str(channel)), timeout=5)
            (line,) = [entry for entry in logged if entry.extra.get("channel_id") == str(channel)]
            assert line.level == "warning"
            assert "token-in-path" not in line.message

            receiver.status = 200
            assert await RetrySweep(dispatcher, max_age_hours=1).run() >= 1
            assert len(receiver.received) == 1
        await client.close()
        (row,) = await deliveries_of(db, channel)
        assert (row.status, row.attempts, row.last_error) == ("delivered", 4, None)


def notifications(outcome: str) -> float:
    labels = {"outcome": outcome, "channel_kind": "webhook"}
    return REGISTRY.get_sample_value("netraven_notifications_total", labels) or 0


async def _any_about(logged: list[LogEmitted], channel_id: str) -> bool:
    return any(entry.extra.get("channel_id") == channel_id for entry in logged)


class TestApprise:
    async def test_the_json_target_gets_title_and_text(
        self, dispatcher: Dispatcher, db: async_sessionmaker[AsyncSession]
    ) -> None:
        device = await add_device(db)
        with http_receiver() as receiver:
            target = receiver.url.replace("http://", "json://") + "/apprise"
            channel = await add_channel(db, target, kind="apprise")
            await dispatcher.notify(
                Messages(None).config_changed(change(device.id, device.hostname))
            )
            (request,) = receiver.received
        assert request.path == "/apprise"
        assert request.json()["title"] == f"{device.hostname}: config changed"
        assert "+ntp server 10.0.0.2" in request.json()["message"]
        assert [row.status for row in await deliveries_of(db, channel)] == ["delivered"]

    async def test_an_email_reaches_the_smtp_server(
        self, dispatcher: Dispatcher, db: async_sessionmaker[AsyncSession]
    ) -> None:
        device = await add_device(db)
        with smtp_receiver() as smtp:
            await add_channel(db, smtp.apprise_url(), kind="apprise")
            await dispatcher.notify(
                Messages(None).config_changed(change(device.id, device.hostname))
            )
            (mail,) = smtp.messages
        assert mail["Subject"] == f"{device.hostname}: config changed"
        assert mail["To"] == "ops@example.com"
        assert "+ntp server 10.0.0.2" in text_of(mail)


class TestSendTest:
    async def test_the_reply_comes_after_the_message_was_delivered(
        self, dispatcher: Dispatcher, db: async_sessionmaker[AsyncSession]
    ) -> None:
        with http_receiver() as receiver:
            channel = await add_channel(db, receiver.url, secret=SECRET, event_kinds=())
            reply = await dispatcher.send_test(channel, "admin")
            assert reply.outcome == "delivered"
            (request,) = receiver.received
        assert request.json()["event"] == "test"
        (row,) = await deliveries_of(db, channel)
        assert (row.id, row.event_kind, row.status) == (reply.delivery_id, "test", "delivered")

    async def test_a_refusing_channel_says_why_at_once(
        self, dispatcher: Dispatcher, db: async_sessionmaker[AsyncSession]
    ) -> None:
        with http_receiver() as receiver:
            receiver.status = 401
            channel = await add_channel(db, receiver.url, event_kinds=())
            reply = await dispatcher.send_test(channel, "admin")
        assert (reply.outcome, reply.error) == ("failed", "webhook answered 401 Unauthorized")
        (row,) = await deliveries_of(db, channel)
        assert (row.status, row.attempts) == ("failed", 1), "a test is tried once"
        await RetrySweep(dispatcher, max_age_hours=1).run()
        (row,) = await deliveries_of(db, channel)
        assert row.attempts == 1, "and not swept again"

    async def test_an_unknown_channel_is_unknown(self, dispatcher: Dispatcher) -> None:
        reply = await dispatcher.send_test(uuid.uuid4(), "admin")
        assert (reply.outcome, reply.delivery_id) == ("unknown", None)


async def test_sends_to_several_channels_run_side_by_side(
    dispatcher: Dispatcher, db: async_sessionmaker[AsyncSession]
) -> None:
    device = await add_device(db)
    with http_receiver() as slow, http_receiver() as fine:
        slow.status = 500
        await add_channel(db, slow.url)
        await add_channel(db, fine.url)
        await asyncio.wait_for(
            dispatcher.notify(Messages(None).config_changed(change(device.id, device.hostname))),
            timeout=10,
        )
        assert len(fine.received) == 1
