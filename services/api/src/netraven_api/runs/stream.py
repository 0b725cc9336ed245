"""Run progress as Server-Sent Events: one core-NATS subscription per api process, fanned out to
every open stream. Announcements are not kept, so a reconnecting browser fetches the runs again
rather than resuming; a stream that falls behind ends for the same reason."""

from collections.abc import AsyncIterator

import structlog
from fastapi import Request
from fastapi.sse import format_sse_event
from faststream.nats import NatsBroker
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from netraven_shared.events import RunProgressed
from pydantic import ValidationError

from netraven_api.auth.security import TokenClaims
from netraven_api.fanout import Fanout
from netraven_api.live_stream import CONNECTED, HEARTBEAT, follow

QUEUED_ANNOUNCEMENTS = 200

log = structlog.get_logger()


class RunBroadcast:
    def __init__(self, broker: NatsBroker) -> None:
        self._broker = broker
        self.fanout: Fanout[bytes] = Fanout(QUEUED_ANNOUNCEMENTS)
        self._subscription: Subscription | None = None

    async def start(self) -> None:
        client = self._broker.config.connection_state.connection
        self._subscription = await client.subscribe(RunProgressed.subject, cb=self._heard)

    async def stop(self) -> None:
        if self._subscription is not None:
            await self._subscription.unsubscribe()

    async def _heard(self, message: Msg) -> None:
        try:
            progress = RunProgressed.model_validate_json(message.data)
        except ValidationError as error:
            log.warning("run_stream.announcement_refused", error=str(error)[:500])
            return
        self.fanout.publish(format_sse_event(event="run", data_str=progress.model_dump_json()))


async def run_stream(request: Request, caller: TokenClaims) -> AsyncIterator[bytes]:
    broadcast: RunBroadcast = request.app.state.run_broadcast
    with broadcast.fanout.listening() as listener:
        yield CONNECTED
        async for announcement in follow(request, caller, listener):
            yield HEARTBEAT if announcement is None else announcement
