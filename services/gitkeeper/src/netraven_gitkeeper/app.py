import asyncio
from contextlib import suppress

from faststream.asgi import AsgiFastStream

from netraven_gitkeeper.announcer import BusAnnouncer
from netraven_gitkeeper.config import GitkeeperSettings
from netraven_gitkeeper.handlers import register_handlers
from netraven_gitkeeper.pump import BackupPump
from netraven_gitkeeper.reader import ConfigReader
from netraven_gitkeeper.reconcile import reconcile
from netraven_gitkeeper.repository import ConfigRepository
from netraven_gitkeeper.writer import ConfigWriter
from netraven_shared.db.session import create_engine, session_factory
from netraven_shared.messaging import build_broker
from netraven_shared.service_app import build_service_app


def build_app(settings: GitkeeperSettings) -> AsgiFastStream:
    broker = build_broker(settings, "gitkeeper")
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    repo = ConfigRepository(settings.repo_path)
    register_handlers(broker, ConfigReader(repo, sessions, broker))
    pump = BackupPump(
        broker, ConfigWriter(repo, sessions), BusAnnouncer(broker), settings.batch_max_configs, settings.batch_window_seconds,
    )
    running: list[asyncio.Task] = []

    async def start_pumping() -> None:
        await reconcile(repo, sessions)
        running.append(asyncio.create_task(pump.run()))

    async def stop_pumping() -> None:
        pump.stop()
        for task in running:
            with suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(task, timeout=10)
        await engine.dispose()

    app = build_service_app(broker, on_shutdown=[stop_pumping])
    app.after_startup(start_pumping)
    return app
