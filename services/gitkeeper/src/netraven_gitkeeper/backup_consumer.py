"""Pull `DeviceBackedUp` in batches (the shared `BatchConsumer`): wait up to a short window or until
the batch is full, store it with as few commits as it allows, announce, and only then ack it.

A backup whose config is missing or does not match its sha256, or that the writer refuses
(`Rejected`), is terminated and recorded alone; the rest of its batch is stored. An extra output
that does not match its sha256 is left out (logged), never the config with it.
"""

from collections.abc import Callable

import structlog
from faststream.nats import NatsBroker
from netraven_shared.batch_consumer import BatchConsumer
from netraven_shared.config_transport import config_text_of, output_text_of, sha256_of
from netraven_shared.events import DeviceBackedUp, subjects
from netraven_shared.rejection import Rejected
from netraven_shared.tracing.carrier import ids_of

from netraven_gitkeeper.announcer import BusAnnouncer
from netraven_gitkeeper.planner import Backup, Fate
from netraven_gitkeeper.writer import ConfigWriter

SERVICE = "gitkeeper"
DURABLE = "gitkeeper"
ACK_WAIT_SECONDS = 60
log = structlog.get_logger()


async def backup_of(broker: NatsBroker, event: DeviceBackedUp) -> Backup:
    text = await config_text_of(broker, event)
    if sha256_of(text) != event.sha256:
        raise Rejected(f"config of device {event.device_id} does not match its sha256; not stored")
    outputs = []
    for output in event.outputs:
        output_text = await output_text_of(broker, output)
        if output_text is None:
            continue
        if sha256_of(output_text) != output.sha256:
            log.warning(
                "output.sha256_mismatch", device_id=str(event.device_id), output=output.name
            )
            continue
        outputs.append((output.name, output_text))
    return Backup(event, text, tuple(outputs))


def backup_consumer(
    broker: NatsBroker,
    writer: ConfigWriter,
    announcer: BusAnnouncer,
    max_files: int,
    window_seconds: float,
    durable: str = DURABLE,
    committed: Callable[[], None] = lambda: None,
) -> BatchConsumer[Backup]:
    """`committed` is called after a batch made a new commit (mirrors push it)."""

    async def parse(data: bytes) -> Backup:
        return await backup_of(broker, DeviceBackedUp.model_validate_json(data))

    async def store(backups: list[Backup]) -> None:
        # Whole or nothing: nothing is written for a batch the consumer is about to split.
        stored, rejected = await writer.write(backups, whole_or_nothing=True)
        if rejected:
            raise Rejected(rejected[0].reason)
        await announcer.announce(stored)
        if any(one.fate == Fate.COMMITTED for one in stored):
            committed()

    return BatchConsumer(
        broker,
        subjects.BACKUP_SUCCEEDED,
        durable,
        SERVICE,
        parse,
        store,
        max_batch=max_files,
        window_seconds=window_seconds,
        ack_wait_seconds=ACK_WAIT_SECONDS,
        span_name="gitkeeper.commit",
        span_attributes=lambda backup: ids_of(backup.event),
    )
