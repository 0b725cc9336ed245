"""How config text travels on the bus.

NATS refuses messages over its max payload (1 MB by default) and real configs can be larger.
Text up to `INLINE_LIMIT` rides inside `DeviceBackedUp`; larger text goes to the JetStream
object store under its sha256 (content-addressed, so a retried put is harmless) and the event
names the object.
"""

import hashlib

from faststream.nats import NatsBroker

from netraven_shared.events import DeviceBackedUp
from netraven_shared.events.config_read import ConfigDiffReply, ConfigReadReply
from netraven_shared.messaging import CONFIG_BUCKET

INLINE_LIMIT = 256 * 1024


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def config_fields(broker: NatsBroker, text: str) -> dict[str, str | int | None]:
    digest = sha256_of(text)
    data = text.encode()
    fields: dict[str, str | int | None] = {"sha256": digest, "size_bytes": len(data)}
    if len(data) <= INLINE_LIMIT:
        return fields | {"config_text": text, "config_object": None}
    store = await _bucket(broker)
    await store.put(digest, data)
    return fields | {"config_text": None, "config_object": digest}


async def config_text_of(broker: NatsBroker, carrier: DeviceBackedUp | ConfigReadReply | ConfigDiffReply) -> str:
    if carrier.config_text is not None:
        return carrier.config_text
    store = await _bucket(broker)
    result = await store.get(carrier.config_object)
    return result.data.decode()


async def _bucket(broker: NatsBroker):
    return await broker.config.connection_state.stream.object_store(CONFIG_BUCKET)
