"""One batch consumer for every service that stores what the bus reports (gitkeeper,
log-collector, the api's run recorder): a durable pull loop that writes many messages in one
transaction.

The ack rules:
- a message is acked only after the transaction holding it has committed;
- a message that cannot be parsed (invalid JSON, wrong schema, `Rejected` from `parse`) is
  terminated and recorded as an `EventRejected`; never redelivered;
- when a batch fails for a reason in its data (a database error, or `write` raising `Rejected` for
  an item it refuses), it is split in halves until the messages at fault are alone: each is
  terminated and recorded, and every other message is written and acked. So `write` takes the
  whole batch in one transaction and may simply raise `Rejected(reason)` for the first item it
  refuses;
- when a dependency is unreachable (`outage.is_outage`: PostgreSQL down, NATS reconnecting),
  nothing is nak'ed and no delivery is spent: the loop stops pulling, keeps the batch in hand with
  in-progress acks every third of the ack wait (for the stragglers of its pull request too,
  see `batch_pull`), and retries the write with a capped backoff until it succeeds;
- an error that is neither (a bug) hands that one message back with a delay, bounded by
  `max_deliver`;
- an empty pull is silent, and nothing but `stop()` ends the loop.

When tracing is on, each message read gets a span (`span_name`) under the span that published it,
open until the message is settled (`tracing.batches`).
"""

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Generic, TypeVar

import asyncpg.exceptions
import sqlalchemy.exc
import structlog
from faststream.nats import NatsBroker
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy

from netraven_shared.batch_items import InHand, Parse, Write
from netraven_shared.batch_pull import BatchPull
from netraven_shared.in_progress import touched_every
from netraven_shared.messaging import consumer_config, stream_of
from netraven_shared.outage import StoppedWaiting, retried_through_outages
from netraven_shared.pull_requests import ensure_durable
from netraven_shared.rejected_events import reason_of, record_rejection
from netraven_shared.rejection import Rejected
from netraven_shared.tracing.batches import AttributesOf, MessageSpans
from netraven_shared.tracing.carrier import ids_of

log = structlog.get_logger()
T = TypeVar("T")
R = TypeVar("R")

BUG_RETRY_SECONDS = 5.0
_FAULT_IN_THE_DATA = (
    Rejected,
    ValueError,
    sqlalchemy.exc.DBAPIError,
    asyncpg.exceptions.PostgresError,
)


class BatchConsumer(Generic[T]):
    def __init__(
        self,
        broker: NatsBroker,
        subject: str,
        durable: str,
        service: str,
        parse: Parse[T],
        write: Write[T],
        *,
        max_batch: int = 200,
        window_seconds: float = 0.0,
        ack_wait_seconds: float = 30.0,
        max_deliver: int = 10,
        new_messages_only: bool = False,
        span_name: str | None = None,
        span_attributes: AttributesOf = ids_of,
    ) -> None:
        self.durable = durable
        self._broker = broker
        self._subject = subject
        self._service = service
        self._parse = parse
        self._write = write
        self._max_batch = max_batch
        self._window = window_seconds
        self._ack_wait = ack_wait_seconds
        self._max_deliver = max_deliver
        # A durable created with this starts at the messages published from then on, not at the
        # stream's history (the notifier must not announce a week of old events on its first start).
        self._new_messages_only = new_messages_only
        self._stopping = asyncio.Event()
        self._running = False
        self._failure: str | None = None
        self._pull: BatchPull | None = None
        self._unsettled: list[Msg] = []
        self._task: asyncio.Task[None] | None = None
        self._spans = MessageSpans(
            span_name or f"{service}.consume", subject, durable, span_attributes
        )

    def not_ready_reason(self) -> str | None:
        """None while the loop runs; otherwise why this consumer is not consuming."""
        if self._running:
            return None
        if self._failure is not None:
            return f"consumer {self.durable} failed: {self._failure}"
        return (
            f"consumer {self.durable} is stopped"
            if self._stopping.is_set()
            else f"consumer {self.durable} is not running"
        )

    async def start(self) -> None:
        """Run the loop in a task of its own (what a service's start-up hook calls)."""
        self._stopping.clear()
        # ready from here on: a heartbeat may ask before the task runs
        self._running, self._failure = True, None
        self._task = asyncio.create_task(self.run(), name=f"batch-consumer-{self.durable}")

    async def close(self, timeout: float = 10) -> None:
        """Stop, and wait up to `timeout` for the write in hand to finish."""
        self.stop()
        if self._task is not None:
            with suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._task, timeout=timeout)

    def stop(self) -> None:
        """Finish the write in hand (an outage's hold is given up: its messages come back after the
        ack wait), then end; a flag, so the write in hand is not cancelled halfway."""
        self._stopping.set()
        if self._pull is not None:
            self._pull.stop()

    async def run(self) -> None:
        self._running, self._failure = True, None
        pull = None
        try:
            pull = await self._through_outages(self._open_pull, "subscribe")
            self._pull = pull
            while not self._stopping.is_set():
                try:
                    await self._consume(await pull.collect())
                except StoppedWaiting:
                    break
                except Exception:
                    log.exception("batch_consumer.pass_failed", durable=self.durable)
                    await asyncio.sleep(1)
        except StoppedWaiting:
            pass
        except Exception as error:
            self._failure = reason_of(error)
            log.exception("batch_consumer.stopped", durable=self.durable)
        finally:
            self._running = False
            if pull is not None:
                with suppress(Exception):
                    await pull.close()

    async def _open_pull(self) -> BatchPull:
        js: JetStreamContext = self._broker.config.connection_state.stream
        stream = stream_of(self._subject)
        config = consumer_config(ack_wait_seconds=self._ack_wait, max_deliver=self._max_deliver)
        config.durable_name, config.filter_subject = self.durable, self._subject
        if self._new_messages_only:
            config.deliver_policy = DeliverPolicy.NEW
        await ensure_durable(js, stream, config)
        pull = BatchPull(js, stream, self.durable, self._max_batch, self._window)
        await pull.open()
        return pull

    async def _consume(self, messages: list[Msg]) -> None:
        if not messages:
            return
        self._unsettled = list(messages)
        try:
            async with touched_every(self._touch_unsettled, self._ack_wait / 3):
                batch = [
                    held
                    for message in messages
                    if (held := await self._parsed(message)) is not None
                ]
                with self._spans.around([(held.message, held.item) for held in batch]):
                    await self._settle(batch)
        finally:
            self._unsettled = []

    async def _parsed(self, message: Msg) -> InHand[T] | None:
        try:
            return InHand(
                message, await self._through_outages(lambda: self._parse(message.data), "read")
            )
        except StoppedWaiting:
            raise
        except Exception as error:  # noqa: BLE001  (whatever the parse refuses is terminated and recorded)
            await self._reject(message, error, unreadable=True)
            return None

    async def _settle(self, batch: list[InHand[T]]) -> None:
        """Write `batch`, or isolate what in it cannot be written."""
        if not batch:
            return
        try:
            await self._through_outages(lambda: self._write([held.item for held in batch]), "write")
        except StoppedWaiting:
            raise
        except Exception as error:  # noqa: BLE001  (the module docstring sorts every failure)
            if len(batch) == 1:
                await self._fault(batch[0].message, error)
                return
            log.info(
                "batch_consumer.isolating",
                durable=self.durable,
                messages=len(batch),
                error=reason_of(error),
            )
            middle = len(batch) // 2
            await self._settle(batch[:middle])
            await self._settle(batch[middle:])
            return
        await self._finish([held.message for held in batch], Msg.ack)

    async def _fault(self, message: Msg, error: Exception) -> None:
        self._spans.failed(message, reason_of(error))
        if isinstance(error, _FAULT_IN_THE_DATA):
            await self._reject(message, error)
            return
        log.error(
            "batch_consumer.write_failed",
            durable=self.durable,
            retry_in_seconds=BUG_RETRY_SECONDS,
            exc_info=error,
        )
        await self._finish([message], lambda m: m.nak(delay=BUG_RETRY_SECONDS))

    async def _reject(
        self, message: Msg, error: BaseException, *, unreadable: bool = False
    ) -> None:
        try:
            await record_rejection(
                self._broker,
                message.subject,
                reason_of(error),
                self._service,
                unreadable=unreadable,
            )
        except Exception:
            log.exception(
                "batch_consumer.rejection_not_recorded",
                durable=self.durable,
                subject=message.subject,
            )
        await self._finish([message], Msg.term)

    async def _finish(self, messages: list[Msg], send: Callable[[Msg], Awaitable[None]]) -> None:
        """Ack, terminate or hand back `messages`; one whose ack is lost (connection dropped) comes
        back after the ack wait, which every write here tolerates. One after the other: each is a
        publish into the connection's buffer, which a task per message would only slow down."""
        failed: list[Exception] = []
        for message in messages:
            try:
                await send(message)
            except Exception as error:  # noqa: BLE001  (counted and logged below)
                failed.append(error)
        if failed:
            log.warning(
                "batch_consumer.ack_failed",
                durable=self.durable,
                count=len(failed),
                error=str(failed[0]),
            )
        settled = {id(message) for message in messages}
        self._unsettled = [message for message in self._unsettled if id(message) not in settled]

    async def _through_outages(self, operation: Callable[[], Awaitable[R]], step: str) -> R:
        what = f"consumer {self.durable} ({step}) holding {len(self._unsettled)} messages"
        return await retried_through_outages(operation, what, self._stopping)

    async def _touch_unsettled(self) -> None:
        stragglers = self._pull.stragglers() if self._pull is not None else []
        for message in [*self._unsettled, *stragglers]:
            with suppress(Exception):
                await message.in_progress()
