import asyncio

from faststream.asgi import AsgiFastStream
from netraven_shared.db.base import utc_now
from netraven_shared.db.session import create_engine, session_factory
from netraven_shared.messaging import build_broker
from netraven_shared.service_app import build_service_app
from netraven_shared.task_stop import stop_task

from netraven_scheduler.config import SchedulerSettings
from netraven_scheduler.ticker import Ticker


def build_app(settings: SchedulerSettings) -> AsgiFastStream:
    broker = build_broker(settings, "scheduler")
    engine = create_engine(settings.database_url, pool_size=2)
    ticker = Ticker(session_factory(engine), broker, utc_now)
    running: list[asyncio.Task] = []

    async def start_ticking() -> None:
        running.append(asyncio.create_task(ticker.run_forever(settings.tick_seconds)))

    async def stop_ticking() -> None:
        for task in running:
            await stop_task(task)
        await engine.dispose()

    app = build_service_app(broker, on_shutdown=[stop_ticking])
    app.after_startup(start_ticking)
    return app
