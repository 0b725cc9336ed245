from uuid import UUID

from faststream.asgi import AsgiFastStream
from netraven_shared.db.session import create_engine, session_factory
from netraven_shared.messaging import build_broker
from netraven_shared.operator_log import OperatorLog
from netraven_shared.service_app import build_service_app

from netraven_gitkeeper.announcer import BusAnnouncer
from netraven_gitkeeper.backup_consumer import SERVICE, backup_consumer
from netraven_gitkeeper.config import GitkeeperSettings
from netraven_gitkeeper.config_repo import ConfigRepository
from netraven_gitkeeper.handlers import register_handlers
from netraven_gitkeeper.mirror_announcer import MirrorAnnouncer
from netraven_gitkeeper.mirror_pusher import MirrorPusher
from netraven_gitkeeper.reader import ConfigReader
from netraven_gitkeeper.reconcile import reconcile
from netraven_gitkeeper.writer import ConfigWriter


def build_app(settings: GitkeeperSettings) -> AsgiFastStream:
    broker = build_broker(settings, SERVICE)
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    repo = ConfigRepository(settings.repo_path)
    register_handlers(broker, ConfigReader(repo, sessions, broker))
    mirror_announcer = MirrorAnnouncer(broker, settings.stream_replicas)
    pushers = [
        MirrorPusher(
            mirror,
            settings.repo_path,
            mirror_announcer,
            settings.git_mirror_retry_max_seconds,
            settings.git_mirror_push_timeout_seconds,
        )
        for mirror in settings.mirrors
    ]
    consumer = backup_consumer(
        broker,
        ConfigWriter(repo, sessions),
        BusAnnouncer(broker),
        settings.batch_max_configs,
        settings.batch_window_seconds,
        committed=lambda: _signal_all(pushers),
    )

    async def start_consuming() -> None:
        oplog = OperatorLog(broker, SERVICE)
        await oplog.emit_lines(
            [
                oplog.line(
                    "warning",
                    "config",
                    f"commit {skipped.commit[:12]}{_device(skipped.device_id)} left out of the "
                    f"version index: {skipped.reason}",
                )
                for skipped in (await reconcile(repo, sessions)).skipped
            ]
        )
        await consumer.start()
        await mirror_announcer.forget_all_but([pusher.mirror.name for pusher in pushers])
        for pusher in pushers:
            await pusher.start()

    async def stop_consuming() -> None:
        await consumer.close(timeout=10)
        for pusher in pushers:
            await pusher.stop()
        await engine.dispose()

    app = build_service_app(
        broker, on_shutdown=[stop_consuming], readiness=[consumer.not_ready_reason]
    )
    app.after_startup(start_consuming)
    return app


def _device(device_id: UUID | None) -> str:
    return f" (device {device_id})" if device_id else ""


def _signal_all(pushers: list[MirrorPusher]) -> None:
    for pusher in pushers:
        pusher.signal()
