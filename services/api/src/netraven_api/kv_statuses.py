"""Read the statuses processes write to a KV bucket (`netraven-workers`, `netraven-services`,
`netraven-mirrors`): those seen recently enough to be alive (all of them when `alive_within` is
None), each parsed with its model; one that expired meanwhile or cannot be read is skipped."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

import structlog
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from nats.js.errors import BucketNotFoundError, KeyDeletedError, KeyNotFoundError, NoKeysError
from netraven_shared.errors import Unavailable
from netraven_shared.key_value import existing_bucket
from netraven_shared.rejected_events import reason_of
from pydantic import BaseModel, ValidationError

log = structlog.get_logger()
Status = TypeVar("Status", bound=BaseModel)


async def live_statuses(
    js: JetStreamContext,
    bucket_name: str,
    model: type[Status],
    seen_at: Callable[[Status], datetime],
    alive_within: timedelta | None,
    now: datetime,
) -> list[Status]:
    try:
        bucket = await existing_bucket(js, bucket_name)
        keys = await bucket.keys()
    except (BucketNotFoundError, NoKeysError):  # nothing has written a status yet
        return []
    except NatsError as error:
        raise Unavailable(
            f"NATS did not answer: {bucket_name} cannot be read right now", str(error)
        ) from error
    statuses = []
    for key in keys:
        try:
            entry = await bucket.get(key)
            status = model.model_validate_json(entry.value or b"")
        except (KeyNotFoundError, KeyDeletedError):
            continue  # expired between the listing and the read
        except ValidationError as error:
            log.warning(
                "kv_statuses.unreadable", bucket=bucket_name, key=key, error=reason_of(error)
            )  # never the value
            continue
        if alive_within is None or now - seen_at(status) <= alive_within:
            statuses.append(status)
    return statuses
