"""The api's own consumers: it is the one writer of runs, so it records their progress.

One shared batch consumer per recorded event. A transaction per event made every event of a run wait
for the run's row lock in turn; here each batch is one transaction that locks each run once (in id
order), refreshes its status once and writes each credential's figures once. The recorders take
turns, so two of their batches never wait on each other's run rows; an event the recorder refuses is
isolated, terminated and recorded alone.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from faststream.nats import NatsBroker
from netraven_shared.batch_consumer import BatchConsumer
from netraven_shared.batch_items import Write, parsed_as
from netraven_shared.events import (
    ConfigStored,
    DeviceBackedUp,
    DeviceBackupFailed,
    DeviceBackupStarted,
    DeviceReachabilityChecked,
    Event,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_api.runs.credential_figures import one_count_per_batch
from netraven_api.runs.progress import lock_and_load, one_refresh_per_run
from netraven_api.runs.recorder import (
    record_collected,
    record_failed,
    record_reachability,
    record_started,
    record_stored,
)
from netraven_api.unit_of_work import unit_of_work

SERVICE = "api"
MAX_BATCH = 500
Record = Callable[[AsyncSession, Any], Awaitable[None]]  # each recorder takes its own event type
RECORDERS: tuple[tuple[type[Event], str, Record], ...] = (
    (DeviceBackupStarted, "api-record-started", record_started),
    (ConfigStored, "api-record-stored", record_stored),
    (DeviceBackupFailed, "api-record-failed", record_failed),
    (DeviceBackedUp, "api-record-collected", record_collected),
    (DeviceReachabilityChecked, "api-record-reachability", record_reachability),
)


def recording(
    sessions: async_sessionmaker[AsyncSession], record: Record, turn: asyncio.Lock
) -> Write[Event]:
    """Record a batch of events in one transaction."""

    async def write(events: list[Event]) -> None:
        async with turn, unit_of_work(sessions) as work:
            tried = _credentials_tried(events)
            async with one_refresh_per_run(work.session), one_count_per_batch(work.session, tried):
                keys = {key for event in events if (key := _result_key(event))}
                await lock_and_load(work.session, keys)
                for event in events:
                    await record(work.session, event)

    return write


def recorder_consumers(
    broker: NatsBroker, sessions: async_sessionmaker[AsyncSession]
) -> list[BatchConsumer[Event]]:
    turn = asyncio.Lock()
    return [
        BatchConsumer(
            broker,
            event_type.subject,
            durable,
            SERVICE,
            parsed_as(event_type),
            recording(sessions, record, turn),
            max_batch=MAX_BATCH,
        )
        for event_type, durable, record in RECORDERS
    ]


def _credentials_tried(events: list[Event]) -> set[tuple[UUID, UUID]]:
    """The (device, credential) pairs the events report logging in with or being refused."""
    tried: set[tuple[UUID, UUID]] = set()
    for event in events:
        device_id = getattr(event, "device_id", None)
        if device_id is None:
            continue
        refused = getattr(event, "refused_credential_ids", [])
        logged_in = getattr(event, "credential_id", None)
        tried |= {(device_id, c) for c in [logged_in, *refused] if c is not None}
    return tried


def _result_key(event: Event) -> tuple[UUID, UUID] | None:
    """The (run, device) result an event is about, when it names both."""
    run_id, device_id = getattr(event, "run_id", None), getattr(event, "device_id", None)
    return (run_id, device_id) if run_id is not None and device_id is not None else None
