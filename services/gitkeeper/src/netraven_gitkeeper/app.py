from faststream.asgi import AsgiFastStream

from netraven_gitkeeper.config import GitkeeperSettings
from netraven_gitkeeper.handlers import register_handlers
from netraven_gitkeeper.repository import ConfigRepository
from netraven_gitkeeper.service import ConfigStore
from netraven_shared.db.session import create_engine, session_factory
from netraven_shared.messaging import build_broker
from netraven_shared.service_app import build_service_app


def build_app(settings: GitkeeperSettings) -> AsgiFastStream:
    broker = build_broker(settings, "gitkeeper")
    engine = create_engine(settings.database_url)
    repo = ConfigRepository(settings.repo_path)
    register_handlers(broker, ConfigStore(repo, session_factory(engine), broker))

    async def close() -> None:
        repo.close()
        await engine.dispose()

    return build_service_app(broker, on_shutdown=[close])
