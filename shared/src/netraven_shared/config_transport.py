"""How config text travels on the bus.

NATS refuses messages over its max payload (1 MB by default) and real configs can be larger.
Text up to `INLINE_LIMIT` rides inside the message; larger text goes to a JetStream object store
under its sha256 (content-addressed, so a retried put is harmless) and the message names the
object. A backup's extra outputs (`show version`, ...) travel the same way, inline up to
`OUTPUT_INLINE_LIMIT` each, so that a message with all of them stays under the max payload.
A backup's text (`DeviceBackedUp`) goes to the config store, which only the worker writes
and only gitkeeper reads; a reply to a config read goes to the reply store, which gitkeeper
writes and the api reads, so the api never reads the config store. An archive of the whole tree
always goes to the reply store.
"""

import hashlib

from faststream.nats import NatsBroker
from nats.js.errors import ObjectNotFoundError
from nats.js.object_store import ObjectStore

from netraven_shared.bus_streams import CONFIG_BUCKET, REPLY_BUCKET
from netraven_shared.events import DeviceBackedUp
from netraven_shared.events.backups import BackupOutput
from netraven_shared.events.config_read import ConfigDiffReply, ConfigReadReply

INLINE_LIMIT = 256 * 1024
OUTPUT_INLINE_LIMIT = 64 * 1024


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def config_fields(broker: NatsBroker, text: str) -> dict[str, str | int | None]:
    """The fields of a `DeviceBackedUp` carrying `text`."""
    return await _fields(broker, text, CONFIG_BUCKET)


async def reply_fields(broker: NatsBroker, text: str) -> dict[str, str | int | None]:
    """The fields of a config read or diff reply carrying `text`."""
    return await _fields(broker, text, REPLY_BUCKET)


async def put_reply_object(broker: NatsBroker, data: bytes) -> str:
    """Put bytes too large for any reply (an archive) in the reply store; the name to ask for."""
    digest = hashlib.sha256(data).hexdigest()
    await _put(broker, REPLY_BUCKET, digest, data)
    return digest


async def reply_object(broker: NatsBroker, name: str) -> bytes:
    result = await (await _store(broker, REPLY_BUCKET)).get(name)
    assert result.data is not None  # get() reads the object whole
    return result.data


async def backup_output(broker: NatsBroker, name: str, text: str) -> BackupOutput:
    """An extra output of a backup, carrying `text` inline or in the config store."""
    digest, data = sha256_of(text), text.encode()
    inline = len(data) <= OUTPUT_INLINE_LIMIT
    if not inline:
        await _put(broker, CONFIG_BUCKET, digest, data)
    return BackupOutput(
        name=name,
        text=text if inline else None,
        object=None if inline else digest,
        sha256=digest,
        size_bytes=len(data),
    )


async def output_text_of(broker: NatsBroker, output: BackupOutput) -> str | None:
    """The text of a backup's extra output; None when it is missing."""
    if output.text is not None or output.object is None:
        return output.text
    result = await (await _store(broker, CONFIG_BUCKET)).get(output.object)
    assert result.data is not None  # get() reads the object whole
    return result.data.decode()


async def config_text_of(
    broker: NatsBroker, carrier: DeviceBackedUp | ConfigReadReply | ConfigDiffReply
) -> str:
    if carrier.config_text is not None:
        return carrier.config_text
    store = await _store(
        broker, CONFIG_BUCKET if isinstance(carrier, DeviceBackedUp) else REPLY_BUCKET
    )
    assert carrier.config_object is not None  # the event's validator holds one of text and object
    result = await store.get(carrier.config_object)
    assert result.data is not None  # get() reads the object whole
    return result.data.decode()


async def _fields(broker: NatsBroker, text: str, bucket: str) -> dict[str, str | int | None]:
    digest = sha256_of(text)
    data = text.encode()
    fields: dict[str, str | int | None] = {"sha256": digest, "size_bytes": len(data)}
    if len(data) <= INLINE_LIMIT:
        return fields | {"config_text": text, "config_object": None}
    await _put(broker, bucket, digest, data)
    return fields | {"config_text": None, "config_object": digest}


async def _put(broker: NatsBroker, bucket: str, digest: str, data: bytes) -> None:
    store = await _store(broker, bucket)
    if not await _holds(store, digest):  # a writer may not overwrite: that would purge chunks
        await store.put(digest, data)


async def _holds(store: ObjectStore, name: str) -> bool:
    try:
        await store.get_info(name)
    except ObjectNotFoundError:
        return False
    return True


async def _store(broker: NatsBroker, bucket: str) -> ObjectStore:
    return await broker.config.connection_state.stream.object_store(bucket)
