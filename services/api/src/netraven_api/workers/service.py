"""The worker processes alive now, from the heartbeats they write to the `netraven-workers` bucket."""

from datetime import datetime, timedelta

import structlog
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from nats.js.errors import BucketNotFoundError, KeyDeletedError, KeyNotFoundError, NoKeysError
from pydantic import ValidationError

from netraven_api.workers.schemas import WorkerOut
from netraven_shared.errors import Unavailable
from netraven_shared.rejected_events import reason_of
from netraven_shared.key_value import existing_bucket
from netraven_shared.worker_heartbeat import HEARTBEAT_TTL_SECONDS, WORKERS_BUCKET

log = structlog.get_logger()

ALIVE_WITHIN = timedelta(seconds=HEARTBEAT_TTL_SECONDS)


async def live_workers(js: JetStreamContext, now: datetime) -> list[WorkerOut]:
    """Workers seen within the last 30 s, sorted by id; an unreadable heartbeat is skipped and logged."""
    try:
        bucket = await existing_bucket(js, WORKERS_BUCKET)
        keys = await bucket.keys()
    except (BucketNotFoundError, NoKeysError):  # no worker has started yet
        return []
    except NatsError as error:
        raise Unavailable("NATS did not answer: the worker heartbeats cannot be read right now", str(error)) from error
    workers = []
    for key in keys:
        try:
            entry = await bucket.get(key)
            worker = WorkerOut.model_validate_json(entry.value or b"")
        except (KeyNotFoundError, KeyDeletedError):
            continue  # expired between the listing and the read
        except ValidationError as error:
            log.warning("workers.heartbeat_unreadable", key=key, error=reason_of(error))  # never the value: it is not ours
            continue
        if now - worker.last_seen_at <= ALIVE_WITHIN:
            workers.append(worker)
    return sorted(workers, key=lambda worker: worker.worker_id)
