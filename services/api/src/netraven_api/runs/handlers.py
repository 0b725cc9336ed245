"""The api's own consumers: it is the one writer of runs, so it records their progress.

One shared batch consumer per recorded event. A transaction per event made every event of a run wait
for the run's row lock in turn; here a transaction locks each run once (in id order) and writes in a
few statements whatever its size (`recorder.record`). The recorders share their transactions
(`WrittenTogether`): the batches fetched while one is written are written next, together, so a
run's started, collected and stored reports cost one lock and one refresh of it, and two recorder
batches never wait on each other's run rows. An event the recorder refuses is isolated, terminated
and recorded alone.

What a backed-up device costs the api, and why each is there:

- its `JobDispatched`: one outbox row, written with the run by one INSERT for all its devices, then
  published by the relay with the others of its pass and deleted by one DELETE per pass;
- three events consumed, each acked after the commit that records it: `DeviceBackupStarted` (the
  result shows running, with its attempt), `DeviceBackedUp` (the credential that logged in is
  counted and bound, the host key seen is pinned on first use) and `ConfigStored` (gitkeeper has
  it in git: the result succeeded);
- no statement of its own: a recorder transaction costs the same few statements whatever it holds
  (lock the runs, read the named results and which credentials the devices may use, write the
  results, each credential's figures, the bound credentials, the host-key pins, refresh the runs);
- `RunProgressed` on core NATS for each run a transaction changed, coalesced (`live.py`).
"""

from faststream.nats import NatsBroker
from netraven_shared.batch_consumer import BatchConsumer
from netraven_shared.batch_items import Parse, Write, WrittenTogether, parsed_as
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


def recording(sessions: async_sessionmaker[AsyncSession]) -> Write[Report]:
    """Record a batch of events in one transaction."""

    async def write(events: list[Report]) -> None:
        async with unit_of_work(sessions) as work:
            await record(work.session, events)

    return write


def recorder_consumers(
    broker: NatsBroker, sessions: async_sessionmaker[AsyncSession]
) -> list[BatchConsumer[Report]]:
    together = WrittenTogether(recording(sessions))
    return [
        BatchConsumer(
            broker,
            event_type.subject,
            durable,
            SERVICE,
            parse,
            together.write,
            max_batch=MAX_BATCH,
            span_name="api.record",
        )
        for event_type, durable, parse in RECORDERS
    ]
