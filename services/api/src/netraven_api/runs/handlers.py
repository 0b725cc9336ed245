"""The api's own consumers: it is the one writer of runs, so it records their progress.

One shared batch consumer per recorded event. A transaction per event made every event of a run wait
for the run's row lock in turn; here each batch is one transaction that locks each run once (in id
order) and writes in a few statements whatever its size (`recorder.record`). The recorders take
turns, so two of their batches never wait on each other's run rows; an event the recorder refuses is
isolated, terminated and recorded alone.
"""

import asyncio

from faststream.nats import NatsBroker
from netraven_shared.batch_consumer import BatchConsumer
from netraven_shared.batch_items import Parse, Write, parsed_as
from netraven_shared.events import (
    ConfigStored,
    DeviceBackedUp,
    DeviceBackupFailed,
    DeviceBackupStarted,
    DeviceReachabilityChecked,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_api.runs.recorder import Report, record
from netraven_api.unit_of_work import unit_of_work

SERVICE = "api"
MAX_BATCH = 500
RECORDED: tuple[tuple[type[Report], str], ...] = (
    (DeviceBackupStarted, "api-record-started"),
    (ConfigStored, "api-record-stored"),
    (DeviceBackupFailed, "api-record-failed"),
    (DeviceBackedUp, "api-record-collected"),
    (DeviceReachabilityChecked, "api-record-reachability"),
)
# (event, durable consumer, how its messages are read)
RECORDERS: tuple[tuple[type[Report], str, Parse[Report]], ...] = tuple(
    (event_type, durable, parsed_as(event_type)) for event_type, durable in RECORDED
)


def recording(sessions: async_sessionmaker[AsyncSession], turn: asyncio.Lock) -> Write[Report]:
    """Record a batch of events in one transaction, in turn with the other recorders."""

    async def write(events: list[Report]) -> None:
        async with turn, unit_of_work(sessions) as work:
            await record(work.session, events)

    return write


def recorder_consumers(
    broker: NatsBroker, sessions: async_sessionmaker[AsyncSession]
) -> list[BatchConsumer[Report]]:
    write = recording(sessions, asyncio.Lock())
    return [
        BatchConsumer(
            broker,
            event_type.subject,
            durable,
            SERVICE,
            parse,
            write,
            max_batch=MAX_BATCH,
        )
        for event_type, durable, parse in RECORDERS
    ]
