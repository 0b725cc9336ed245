"""The services' own statements, run as their own PostgreSQL logins: the shapes a privilege probe
cannot foresee (ON CONFLICT reads its conflict columns, a cascade runs as the table's owner)."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from netraven_gitkeeper.repository import mark_missing, record_versions
from netraven_log_collector.rejections import RejectionWriter
from netraven_log_collector.writer import LogWriter
from netraven_notifier import deliveries
from netraven_notifier import repository as notifier_repository
from netraven_notifier.notification import Notification
from netraven_notifier.sender import Outcome
from netraven_shared.db.freshness import stale_devices
from netraven_shared.events import EventRejected, LogEmitted

from tests.shared.database_logins import connect, insert_device, login_sessions


class TestServiceCode:
    async def test_log_collector_appends_log_lines_and_rejections(self, logins, owner):
        line = LogEmitted(
            level="info", log_type="system", message="written as the log-collector", source="test"
        )
        rejection = EventRejected(
            rejected_subject="netraven.backups.succeeded", reason="role test", service="gitkeeper"
        )
        async with login_sessions(logins["log-collector"]) as sessions:
            await LogWriter(sessions).write([line])
            await RejectionWriter(sessions).write([rejection])
            await LogWriter(sessions).write([line])  # again: the conflict is skipped, not refused
        assert (
            await owner.fetchval("SELECT count(*) FROM logs WHERE event_id = $1", line.event_id)
            == 1
        )
        assert (
            await owner.fetchval(
                "SELECT count(*) FROM rejected_events WHERE event_id = $1", rejection.event_id
            )
            == 1
        )

    async def test_the_notifier_routes_records_and_finds_stale_devices(self, logins, owner):
        device_id = await insert_device(owner)
        notification = Notification(
            event_id=uuid4(),
            kind="stale",
            severity="warning",
            title="role test",
            text="written as the notifier",
            occurred_at=datetime.now(UTC),
            device_id=device_id,
        )
        channel_id = await owner.fetchval(
            "INSERT INTO notification_channels (id, name, kind, target_encrypted, target_display,"
            " key_id, enabled, from_environment, created_at)"
            " VALUES ($1, $2, 'webhook', 'x', 'http://x', 'k', false, false, now()) RETURNING id",
            uuid4(),
            f"roles-{uuid4().hex[:8]}",
        )
        async with login_sessions(logins["notifier"]) as sessions, sessions() as session:
            assert channel_id in {row.id for row in await notifier_repository.channels(session)}
            await notifier_repository.enabled_rules(session)
            assert await notifier_repository.device_tag_ids(session, device_id) == frozenset()
            stale = await stale_devices(session, datetime.now(UTC) + timedelta(days=2), 26)
            assert device_id in {device.device_id for device in stale}
            (row,) = await deliveries.record(session, notification, {channel_id: "pending"})
            assert await deliveries.record(session, notification, {channel_id: "pending"}) == []
            await deliveries.settle(session, row.delivery_id, Outcome(attempts=3, error="down"))
            await deliveries.due_again(
                session, datetime.now(UTC) - timedelta(hours=1), datetime.now(UTC), 10
            )
            await session.commit()
        assert (
            await owner.fetchval(
                "SELECT status FROM notification_deliveries WHERE id = $1", row.delivery_id
            )
            == "failed"
        )

    async def test_gitkeeper_records_and_marks_versions(self, logins, owner):
        device_id = await insert_device(owner)
        version = {
            "device_id": device_id,
            "commit": "c" * 40,
            "path": "x.cfg",
            "sha256": "d" * 64,
            "size_bytes": 1,
            "committed_at": datetime.now(UTC),
        }
        async with login_sessions(logins["gitkeeper"]) as sessions, sessions() as session:
            await record_versions(session, [version])
            await record_versions(session, [version])
            await mark_missing(session, {"c" * 40})
            await session.commit()
        assert (
            await owner.fetchval(
                "SELECT missing_from_repo FROM config_versions WHERE device_id = $1", device_id
            )
            is True
        )

    async def test_api_deletes_a_device_and_its_versions_go_with_it(self, logins, owner):
        device_id = await insert_device(owner)
        await owner.execute(
            (
                "INSERT INTO config_versions (device_id, commit, path, sha256, "
                "size_bytes, committed_at) VALUES ($1, $2, 'x.cfg', $3, 1, now())"
            ),
            device_id,
            "a" * 40,
            "b" * 64,
        )
        connection = await connect(logins["api"])
        try:
            assert (
                await connection.execute("DELETE FROM devices WHERE id = $1", device_id)
                == "DELETE 1"
            )
        finally:
            await connection.close()
        assert (
            await owner.fetchval(
                "SELECT count(*) FROM config_versions WHERE device_id = $1", device_id
            )
            == 0
        )
