from faststream.asgi import AsgiFastStream

from netraven_log_collector.config import LogCollectorSettings
from netraven_log_collector.handlers import register_handlers
from netraven_log_collector.writer import LogWriter
from netraven_shared.db.session import create_engine, session_factory
from netraven_shared.messaging import build_broker
from netraven_shared.service_app import build_service_app


def build_app(settings: LogCollectorSettings) -> AsgiFastStream:
    broker = build_broker(settings, "log-collector")
    engine = create_engine(settings.database_url)
    register_handlers(broker, LogWriter(session_factory(engine)), settings)
    return build_service_app(broker, on_shutdown=[engine.dispose])
