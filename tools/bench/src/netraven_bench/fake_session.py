"""The benchmark's stand-in for an SSH session: answers at once with the lab's config text.

The benchmark's own worker entry (`netraven_bench.worker`) hands it to the worker in place of
Netmiko. It lets P2 measure what NetRaven costs around the SSH step: bus, worker, run recorder,
gitkeeper and log-collector.
"""

from functools import cache

from netraven_lab.config_text import generate_config
from netraven_worker.collection import Collected, Login, Target

CONFIG_BYTES = 2048


@cache
def _running_config(hostname: str) -> str:
    return (
        f"Building configuration...\n\nCurrent configuration : {CONFIG_BYTES} bytes\n"
        + generate_config(hostname, CONFIG_BYTES)
    )


def instant_session(target: Target, logins: list[Login], *_: object) -> Collected:
    """What `collect_config` returns after a good login with the first credential."""
    return Collected(raw=_running_config(target.hostname), login=logins[0])
