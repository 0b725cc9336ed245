"""Pull LogEmitted in batches and write each batch with one statement.

A loop of its own rather than FastStream's batch subscriber: that one tops a partial batch up with
ever shorter fetches, and a fetch under 100 µs makes nats-py send a negative expiry whose error
ends the consuming task silently. Here each pass is one fetch, every message is acked, rejected or
handed back on its own, and nothing ends the loop but `stop()`.
"""

import asyncio
import json

import structlog
from nats.errors import TimeoutError as FetchTimeout
from nats.js import JetStreamContext
from pydantic import ValidationError

from netraven_log_collector.writer import LogWriter
from netraven_shared.events import LogEmitted, subjects
from netraven_shared.messaging import consumer_config, stream_of

log = structlog.get_logger()
DURABLE = "log-collector"
RETRY_DELAY_SECONDS = 5.0


def parse(data: bytes) -> LogEmitted | None:
    try:
        return LogEmitted.model_validate(json.loads(data))
    except (ValueError, ValidationError) as error:
        log.error("log_collector.rejected", reason=str(error).splitlines()[0])
        return None


class LogPump:
    def __init__(self, js: JetStreamContext, writer: LogWriter, batch_size: int, durable: str = DURABLE) -> None:
        self._js = js
        self._durable = durable
        self._writer = writer
        self._batch_size = batch_size
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        """Finish the batch in hand, then end; a flag, because a fetch may swallow cancellation."""
        self._stopping.set()

    async def run(self) -> None:
        subscription = await self._js.pull_subscribe(
            subjects.LOG_EMITTED, durable=self._durable, stream=stream_of(subjects.LOG_EMITTED), config=consumer_config(ack_wait_seconds=30)
        )
        try:
            while not self._stopping.is_set():
                await self._pass(subscription)
        finally:
            await subscription.unsubscribe()

    async def _pass(self, subscription: JetStreamContext.PullSubscription) -> None:
        try:
            messages = await subscription.fetch(self._batch_size, timeout=1)
        except FetchTimeout:
            return
        except Exception:
            log.exception("log_collector.fetch_failed")
            await asyncio.sleep(1)
            return
        await self._write(messages)

    async def _write(self, messages: list) -> None:
        parsed = [(message, parse(message.data)) for message in messages]
        for message, event in parsed:
            if event is None:
                await message.term()
        valid = [(message, event) for message, event in parsed if event is not None]
        try:
            await self._writer.write([event for _, event in valid])
        except Exception:
            log.exception("log_collector.write_failed", count=len(valid), retry_in_seconds=RETRY_DELAY_SECONDS)
            for message, _ in valid:
                await message.nak(delay=RETRY_DELAY_SECONDS)
            return
        for message, _ in valid:
            await message.ack()
