"""Staleness: every `NETRAVEN_STALE_CHECK_SECONDS` (300), the devices whose last good backup is
older than their threshold (the rule: netraven_shared.db.freshness) get one `stale` notification
per episode. The episode's mark (in the throttle bucket) is cleared by the
device's next good backup."""

from netraven_shared.db.base import utc_now
from netraven_shared.db.freshness import stale_devices

from netraven_notifier.dispatcher import Dispatcher
from netraven_notifier.messages import Messages
from netraven_notifier.throttle import Throttle


class StalenessCheck:
    def __init__(
        self,
        dispatcher: Dispatcher,
        messages: Messages,
        throttle: Throttle,
        default_hours: float,
    ) -> None:
        self._dispatcher = dispatcher
        self._messages = messages
        self._throttle = throttle
        self._default_hours = default_hours

    async def run(self) -> int:
        """Notify the devices that just became stale; how many."""
        async with self._dispatcher.sessions() as session:
            stale = await stale_devices(session, utc_now(), self._default_hours)
        started = 0
        for device in stale:
            if await self._throttle.is_stale(device.device_id):
                continue
            await self._dispatcher.notify(
                self._messages.stale(
                    device.device_id, device.hostname, device.since, device.threshold_hours
                )
            )
            await self._throttle.mark_stale(device.device_id)
            started += 1
        return started
