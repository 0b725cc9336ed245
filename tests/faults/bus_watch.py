"""What a fault test hears on its stack's bus with the "tests" identity: the log lines published,
alone or in batches (and the warnings among them), the first backup started, and every delivery a
durable spent again (a nak, or an ack wait that ran out)."""

import asyncio
import json
from collections import Counter
from contextlib import suppress

from nats.aio.client import Client as NatsClient
from netraven_shared.bus_streams import STREAMS
from netraven_shared.events import subjects
from netraven_shared.events.logs import LOG_LINE_SUBJECTS
from netraven_shared.task_stop import stop_task

NAKED = "$JS.EVENT.ADVISORY.CONSUMER.MSG_NAKED.>"
SAMPLE_SECONDS = 0.5


class BusWatch:
    def __init__(self, bus: NatsClient) -> None:
        self._bus = bus
        self.log_ids: set[str] = set()
        self.warnings: list[str] = []
        self.backup_started = asyncio.Event()
        self.naks: Counter[str] = Counter()
        self.most_redelivered: Counter[str] = Counter()
        self._sampler: asyncio.Task[None] | None = None

    async def start(self) -> None:
        async def on_log(message) -> None:
            payload = json.loads(message.data)
            batch = message.subject == subjects.LOG_LINES_EMITTED
            for line in payload["lines"] if batch else [payload]:
                self.log_ids.add(line["event_id"])
                if line["level"] in ("warning", "error"):
                    self.warnings.append(f"{line['source']}: {line['message']}")

        async def on_started(_message) -> None:
            self.backup_started.set()

        async def on_nak(message) -> None:
            self.naks[json.loads(message.data)["consumer"]] += 1

        for subject in LOG_LINE_SUBJECTS:  # a line alone, and a batch's lines together
            await self._bus.subscribe(subject, cb=on_log)
        await self._bus.subscribe(subjects.BACKUP_STARTED, cb=on_started)
        await self._bus.subscribe(NAKED, cb=on_nak)
        await self._bus.flush()
        self._sampler = asyncio.create_task(self._sample_redeliveries())

    async def stop(self) -> None:
        await stop_task(self._sampler)

    async def _sample_redeliveries(self) -> None:
        """`num_redelivered` counts only messages still unacknowledged, so it is read all along and
        the most seen at once is kept, per durable."""
        js = self._bus.jetstream()
        while True:
            for stream in STREAMS:
                with suppress(Exception):
                    for consumer in await js.consumers_info(stream.name):
                        self.most_redelivered[consumer.name] = max(
                            self.most_redelivered[consumer.name], consumer.num_redelivered or 0
                        )
            await asyncio.sleep(SAMPLE_SECONDS)

    def spent(self) -> dict[str, dict[str, int]]:
        """The durables that spent deliveries: their naks, and the most redeliveries seen pending at
        once."""
        names = sorted(
            name
            for name in self.naks | self.most_redelivered
            if self.naks[name] or self.most_redelivered[name]
        )
        return {
            name: {"naks": self.naks[name], "redelivered": self.most_redelivered[name]}
            for name in names
        }
