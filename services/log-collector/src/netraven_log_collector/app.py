import asyncio
from contextlib import suppress

from faststream.asgi import AsgiFastStream

from netraven_log_collector.config import LogCollectorSettings
from netraven_log_collector.pump import LogPump
from netraven_log_collector.writer import LogWriter
from netraven_shared.db.session import create_engine, session_factory
from netraven_shared.messaging import build_broker
from netraven_shared.service_app import build_service_app


def build_app(settings: LogCollectorSettings) -> AsgiFastStream:
    broker = build_broker(settings, "log-collector")
    engine = create_engine(settings.database_url)
    writer = LogWriter(session_factory(engine))
    running: list[tuple[LogPump, asyncio.Task]] = []

    async def start_pumping() -> None:
        pump = LogPump(broker.config.connection_state.stream, writer, settings.batch_size)
        running.append((pump, asyncio.create_task(pump.run())))

    async def stop_pumping() -> None:
        for pump, task in running:
            pump.stop()
            with suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(task, timeout=5)
        await engine.dispose()

    app = build_service_app(broker, on_shutdown=[stop_pumping])
    app.after_startup(start_pumping)
    return app
