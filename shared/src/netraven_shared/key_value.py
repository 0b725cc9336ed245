"""NATS KV buckets: the small shared state services coordinate through.

The identity that owns a bucket (`bus_identities`) opens it with `open_bucket`, which creates it
with its limits on first use; the others look it up with `existing_bucket`.
"""

import asyncio
from dataclasses import replace

import structlog
from nats.js import JetStreamContext
from nats.js.errors import BucketNotFoundError
from nats.js.kv import KeyValue

from netraven_shared.bus_streams import kv_config

log = structlog.get_logger(__name__)
WAIT_RETRY_SECONDS = 2.0


async def open_bucket(
    js: JetStreamContext, bucket: str, ttl_seconds: float | None = None, *, replicas: int = 1
) -> KeyValue:
    """The bucket, its keys expiring `ttl_seconds` after their last write, kept in `replicas`
    copies (the settings' `stream_replicas`). A bucket made earlier with another TTL or replica
    count takes these, so a changed setting applies without deleting the bucket by hand. Creating
    the same bucket from two processes at once is harmless."""
    try:
        kv = await js.key_value(bucket)
    except BucketNotFoundError:
        return await js.create_key_value(replace(kv_config(bucket, ttl_seconds), replicas=replicas))
    status = await kv.status()
    config = status.stream_info.config
    if ttl_seconds is not None and status.ttl != ttl_seconds:
        window = min(
            config.duplicate_window or ttl_seconds, ttl_seconds
        )  # may not exceed the max age
        config = replace(config, max_age=ttl_seconds, duplicate_window=window)
        log.warning(
            "kv.ttl_changed", bucket=bucket, old_ttl_seconds=status.ttl, ttl_seconds=ttl_seconds
        )
    if config.num_replicas != replicas:
        log.warning(
            "kv.replicas_changed",
            bucket=bucket,
            old_replicas=config.num_replicas,
            replicas=replicas,
        )
        config = replace(config, num_replicas=replicas)
    if config != status.stream_info.config:
        await js.update_stream(config)
    return kv


async def existing_bucket(js: JetStreamContext, bucket: str) -> KeyValue:
    """A bucket another identity owns; BucketNotFoundError until its owner has created it."""
    return await js.key_value(bucket)


async def waited_bucket(js: JetStreamContext, bucket: str, owner: str) -> KeyValue:
    """A bucket another identity owns, once its owner has created it (a remote site's collector
    waits for the central workers' device locks)."""
    while True:
        try:
            return await existing_bucket(js, bucket)
        except BucketNotFoundError:
            log.warning(
                "kv.waiting_for_bucket",
                message=f"waiting for KV bucket {bucket}, created by {owner}",
                bucket=bucket,
                owner=owner,
            )
            await asyncio.sleep(WAIT_RETRY_SECONDS)
