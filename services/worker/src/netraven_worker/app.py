from faststream.asgi import AsgiFastStream

from netraven_shared.crypto import CredentialCipher
from netraven_shared.db.session import create_engine, session_factory
from netraven_shared.messaging import build_broker
from netraven_shared.service_app import build_service_app
from netraven_worker.backup import BackupService
from netraven_worker.config import WorkerSettings
from netraven_worker.handlers import register_handlers


def build_app(settings: WorkerSettings) -> AsgiFastStream:
    broker = build_broker(settings, settings.worker_id)
    engine = create_engine(settings.database_url, pool_size=max(2, settings.concurrency // 2))
    service = BackupService(session_factory(engine), broker, CredentialCipher(settings.credential_key), settings)
    register_handlers(broker, service, settings)
    return build_service_app(broker, on_shutdown=[engine.dispose])
