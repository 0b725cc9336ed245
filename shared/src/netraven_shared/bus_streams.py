"""What NetRaven keeps on JetStream, and how much of it: streams, object stores, KV buckets.

Every store has a byte cap and an age, and the caps add up to less than the server's JetStream
store (`SERVER_MAX_FILE_STORE`), so no publisher can fill the disk. A subject an outside system
may publish (`netraven.jobs.requested`) has a small stream of its own that refuses new messages
when full (discard new): a flood is refused there while dispatch, backups and logs keep flowing.
Streams whose messages are history (backups, logs) drop their oldest messages when full; work
queues (requests, dispatch) refuse the newest instead, so no unhandled work is silently lost.

Which identity creates each of these is in `bus_identities`; the limits are documented in
docs/operations.md.
"""

from nats.js.api import (
    DiscardPolicy,
    KeyValueConfig,
    ObjectStoreConfig,
    RetentionPolicy,
    StreamConfig,
)

_DAY = 24 * 3600
_KIB = 1024
_MIB = 1024 * _KIB
_GIB = 1024 * _MIB
DEDUP_WINDOW_SECONDS = 120
BACKUPS_MAX_AGE_SECONDS = 7 * _DAY

REQUESTS_STREAM = "NETRAVEN_REQUESTS"
JOBS_STREAM = "NETRAVEN_JOBS"
BACKUPS_STREAM = "NETRAVEN_BACKUPS"
LOGS_STREAM = "NETRAVEN_LOGS"
LOGS_MAX_MSG_BYTES = 64 * _KIB  # headers included; `log_batches` fits a batch's lines under it

# NETRAVEN_JOBS first: a store from before NETRAVEN_REQUESTS held every jobs subject, and must
# give up `netraven.jobs.requested` before the new stream can take it.
STREAMS = (
    StreamConfig(
        name=JOBS_STREAM,
        subjects=["netraven.jobs.dispatched", "netraven.jobs.sites.*"],
        retention=RetentionPolicy.WORK_QUEUE,
        discard=DiscardPolicy.NEW,
        max_age=_DAY,
        max_bytes=256 * _MIB,
        max_msg_size=64 * _KIB,
        duplicate_window=DEDUP_WINDOW_SECONDS,
    ),
    StreamConfig(
        name=REQUESTS_STREAM,
        subjects=["netraven.jobs.requested"],
        retention=RetentionPolicy.WORK_QUEUE,
        discard=DiscardPolicy.NEW,
        max_age=_DAY,
        max_bytes=16 * _MIB,
        max_msgs=10_000,
        max_msg_size=64 * _KIB,
        duplicate_window=DEDUP_WINDOW_SECONDS,
    ),
    StreamConfig(
        name=BACKUPS_STREAM,
        subjects=["netraven.backups.>", "netraven.configs.>", "netraven.devices.>"],
        discard=DiscardPolicy.OLD,
        max_age=BACKUPS_MAX_AGE_SECONDS,
        max_bytes=2 * _GIB,
        max_msg_size=1 * _MIB,
        duplicate_window=DEDUP_WINDOW_SECONDS,
    ),
    StreamConfig(
        name=LOGS_STREAM,
        subjects=["netraven.logs.>", "netraven.bus.>"],
        discard=DiscardPolicy.OLD,
        max_age=3 * _DAY,
        max_bytes=1 * _GIB,
        max_msg_size=LOGS_MAX_MSG_BYTES,
        duplicate_window=DEDUP_WINDOW_SECONDS,
    ),
)

CONFIG_BUCKET = "netraven-configs"
REPLY_BUCKET = "netraven-config-replies"
OBJECT_STORES = (
    # A config object never outlives the DeviceBackedUp that names it.
    ObjectStoreConfig(bucket=CONFIG_BUCKET, ttl=BACKUPS_MAX_AGE_SECONDS, max_bytes=2 * _GIB),
    # Large replies to config reads: the api fetches them within the request that asked.
    ObjectStoreConfig(bucket=REPLY_BUCKET, ttl=10 * 60, max_bytes=256 * _MIB),
)

LOGIN_FAILURES_BUCKET = "netraven-login-failures"
WORKERS_BUCKET = "netraven-workers"
SERVICES_BUCKET = "netraven-services"
DEVICE_LOCKS_BUCKET = "netraven-device-locks"
DEVICE_CIRCUITS_BUCKET = "netraven-device-circuits"
MIRRORS_BUCKET = "netraven-mirrors"
# The notifier's throttle state: devices failing, devices reported stale.
NOTIFIER_BUCKET = "netraven-notifier"
KV_BUCKETS = (
    LOGIN_FAILURES_BUCKET,
    WORKERS_BUCKET,
    SERVICES_BUCKET,
    DEVICE_LOCKS_BUCKET,
    DEVICE_CIRCUITS_BUCKET,
    MIRRORS_BUCKET,
    NOTIFIER_BUCKET,
)
KV_MAX_BYTES = 16 * _MIB
KV_MAX_VALUE_BYTES = 64 * _KIB

SERVER_MAX_FILE_STORE = 8 * _GIB
SERVER_MAX_MEMORY_STORE = 256 * _MIB


def kv_config(bucket: str, ttl_seconds: float | None) -> KeyValueConfig:
    return KeyValueConfig(
        bucket=bucket, ttl=ttl_seconds, max_bytes=KV_MAX_BYTES, max_value_size=KV_MAX_VALUE_BYTES
    )


def subject_matches(pattern: str, subject: str) -> bool:
    """NATS subject matching: `*` one token, `>` the rest."""
    wanted, given = pattern.split("."), subject.split(".")
    for index, token in enumerate(wanted):
        if token == ">":
            return len(given) > index
        if index >= len(given) or (token != "*" and token != given[index]):
            return False
    return len(wanted) == len(given)


def stream_of(subject: str) -> str:
    for config in STREAMS:
        if config.name and any(
            subject_matches(pattern, subject) for pattern in config.subjects or []
        ):
            return config.name
    raise ValueError(f"no NetRaven stream holds subject {subject}")


def store_bytes_reserved() -> int:
    """What every stream, object store and KV bucket may hold at most, together."""
    streams = sum(config.max_bytes or 0 for config in STREAMS)
    objects = sum(config.max_bytes or 0 for config in OBJECT_STORES)
    return streams + objects + KV_MAX_BYTES * len(KV_BUCKETS)
