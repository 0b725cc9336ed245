"""Pull `DeviceBackedUp` in batches: wait up to a short window (or until the batch is full), store the
batch with as few commits as it allows, announce, and only then ack every message of it.

A loop of its own, like the log-collector's (see its pump.py for why not FastStream's batch subscriber):
a malformed or corrupt message is rejected on its own; a failure to store hands the batch back.
"""

import asyncio
import time

import structlog
from faststream.nats import NatsBroker
from nats.aio.msg import Msg
from nats.errors import TimeoutError as FetchTimeout
from nats.js import JetStreamContext
from pydantic import ValidationError

from netraven_gitkeeper.announcer import BusAnnouncer
from netraven_gitkeeper.planner import Backup
from netraven_gitkeeper.writer import ConfigWriter
from netraven_shared.config_transport import config_text_of, sha256_of
from netraven_shared.events import DeviceBackedUp, subjects
from netraven_shared.messaging import consumer_config, stream_of

log = structlog.get_logger()
DURABLE = "gitkeeper"
RETRY_DELAY_SECONDS = 5.0
SHORTEST_FETCH_SECONDS = 0.05  # nats-py turns a much shorter fetch into a negative expiry


class CorruptConfig(ValueError):
    pass


async def backup_of(broker: NatsBroker, event: DeviceBackedUp) -> Backup:
    text = await config_text_of(broker, event)
    if sha256_of(text) != event.sha256:
        raise CorruptConfig(f"config of {event.hostname} does not match its sha256; not stored")
    return Backup(event, text)


class BackupPump:
    def __init__(
        self, broker: NatsBroker, writer: ConfigWriter, announcer: BusAnnouncer, max_files: int, window_seconds: float,
        durable: str = DURABLE,
    ) -> None:
        self._broker = broker
        self._durable = durable
        self._writer = writer
        self._announcer = announcer
        self._max_files = max_files
        self._window = window_seconds
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        """Finish the batch in hand, then end; a flag, because a fetch may swallow cancellation."""
        self._stopping.set()

    async def run(self) -> None:
        js: JetStreamContext = self._broker.config.connection_state.stream
        subscription = await js.pull_subscribe(
            subjects.BACKUP_SUCCEEDED, durable=self._durable, stream=stream_of(subjects.BACKUP_SUCCEEDED),
            config=consumer_config(ack_wait_seconds=60),
        )
        try:
            while not self._stopping.is_set():
                try:
                    await self._store(await self._collect(subscription))
                except Exception:
                    # e.g. the connection dropped while acking: unacked messages come back after the ack wait
                    log.exception("gitkeeper.pass_failed")
                    await asyncio.sleep(1)
        finally:
            await subscription.unsubscribe()

    async def _collect(self, subscription: JetStreamContext.PullSubscription) -> list[Msg]:
        """The first messages to arrive, topped up until the window closes or the batch is full."""
        try:
            messages = await subscription.fetch(self._max_files, timeout=1)
        except FetchTimeout:
            return []
        except Exception:
            log.exception("gitkeeper.fetch_failed")
            await asyncio.sleep(1)
            return []
        closes = time.monotonic() + self._window
        while len(messages) < self._max_files and (left := closes - time.monotonic()) > 0:
            try:
                messages += await subscription.fetch(self._max_files - len(messages), timeout=max(left, SHORTEST_FETCH_SECONDS))
            except FetchTimeout:
                break
            except Exception:
                log.exception("gitkeeper.fetch_failed")
                break
        return messages

    async def _store(self, messages: list[Msg]) -> None:
        batch: list[tuple[Msg, Backup]] = []
        for message in messages:
            backup = await self._backup(message)
            if backup is not None:
                batch.append((message, backup))
        if not batch:
            return
        try:
            stored = await self._writer.write([backup for _, backup in batch])
            await self._announcer.announce(stored)
        except Exception:
            log.exception("gitkeeper.batch_failed", configs=len(batch), retry_in_seconds=RETRY_DELAY_SECONDS)
            await asyncio.gather(*(message.nak(delay=RETRY_DELAY_SECONDS) for message, _ in batch))
            return
        await asyncio.gather(*(message.ack() for message, _ in batch))
        log.info("gitkeeper.batch_stored", configs=len(batch), changed=sum(s.changed for s in stored))

    async def _backup(self, message: Msg) -> Backup | None:
        """The message's backup, or None once it is rejected (bad payload, corrupt) or handed back."""
        try:
            return await backup_of(self._broker, DeviceBackedUp.model_validate_json(message.data))
        except (ValidationError, CorruptConfig) as error:
            log.error("gitkeeper.rejected", subject=message.subject, reason=str(error).splitlines()[0])
            await message.term()
        except Exception:
            log.exception("gitkeeper.config_unavailable", retry_in_seconds=RETRY_DELAY_SECONDS)
            await message.nak(delay=RETRY_DELAY_SECONDS)
        return None
