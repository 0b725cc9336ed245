"""Which function collects a device's config: Netmiko, or (for `make bench` only) a stand-in.

`NETRAVEN_BENCH_SESSION_FACTORY=module:function` swaps the SSH step for a function with
`collect_config`'s signature, so the benchmark can measure everything around SSH. It is a
benchmark seam, nothing else: `WorkerSettings` refuses it in production mode, and it is loaded
only when set.
"""

from collections.abc import Callable
from importlib import import_module

import structlog

from netraven_worker.config import WorkerSettings
from netraven_worker.session import Collected, collect_config

log = structlog.get_logger()

Collect = Callable[..., Collected]


def load_collector(settings: WorkerSettings) -> Collect:
    if not settings.bench_session_factory:
        return collect_config
    module_name, _, attribute = settings.bench_session_factory.partition(":")
    collect = getattr(import_module(module_name), attribute)
    log.warning("worker.bench_session_factory", factory=settings.bench_session_factory,
                note="benchmark only: devices are NOT contacted")
    return collect
