"""Config drift for the demo: one harmless change on one device at a time, in rotation."""

import asyncio
import itertools
import logging

from netraven_lab.config_text import bump_revision
from netraven_lab.lab import Lab

log = logging.getLogger(__name__)


async def churn(lab: Lab, interval_seconds: float) -> None:
    """Every interval, bump the Loopback0 revision of the next device; runs until cancelled."""
    for profile in itertools.cycle(lab.profiles):
        await asyncio.sleep(interval_seconds)
        current = lab.profile(profile.hostname).config_text
        changed = bump_revision(current)
        if changed != current:
            lab.set_config(profile.hostname, changed)
            log.info("lab.config.changed hostname=%s", profile.hostname)
