import asyncio
from concurrent.futures import ThreadPoolExecutor

from faststream.asgi import AsgiFastStream
from netraven_shared.crypto import credential_cipher
from netraven_shared.db.session import session_factory
from netraven_shared.messaging import build_broker
from netraven_shared.service_app import build_service_app

from netraven_worker.backup import BackupService
from netraven_worker.config import WorkerSettings
from netraven_worker.handlers import register_handlers
from netraven_worker.heartbeat import Heartbeat
from netraven_worker.in_flight import Drain, InFlight
from netraven_worker.inventory import inventory_engine
from netraven_worker.reachability import ReachabilityService
from netraven_worker.session import Collect, collect_config


def build_app(settings: WorkerSettings, collect: Collect = collect_config) -> AsgiFastStream:
    """The worker; `collect` is Netmiko's session unless a benchmark injects its stand-in."""
    broker = build_broker(settings, "worker", settings.worker_id)
    engine = inventory_engine(settings.database_url, pool_size=max(2, settings.concurrency // 2))
    sessions = session_factory(engine)
    service = BackupService(sessions, broker, credential_cipher(settings), settings, collect)
    in_flight = InFlight(keep_alive_seconds=settings.ack_wait_seconds / 3)
    reachability = ReachabilityService(sessions, broker, settings)
    subscribers = register_handlers(broker, service, settings, reachability, in_flight)
    heartbeat = Heartbeat(broker, settings, in_flight)

    async def size_session_threads() -> None:
        """asyncio's default pool has min(32, cores + 4) threads: on a small host that, not
        `concurrency`, would cap the Netmiko sessions running at once."""
        threads = ThreadPoolExecutor(
            max_workers=settings.concurrency, thread_name_prefix="device-session"
        )
        asyncio.get_running_loop().set_default_executor(threads)

    return build_service_app(
        broker,
        on_startup=[size_session_threads, heartbeat.start],
        on_shutdown=[
            Drain(broker, subscribers, in_flight, settings),
            heartbeat.stop,
            engine.dispose,
        ],
    )
