"""The service processes alive now, from the statuses they write to the `netraven-services` bucket."""

from datetime import datetime, timedelta

import structlog
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from nats.js.errors import KeyDeletedError, KeyNotFoundError, NoKeysError
from pydantic import ValidationError

from netraven_api.services.schemas import ServiceOut
from netraven_shared.errors import Unavailable
from netraven_shared.rejected_events import reason_of
from netraven_shared.events.service_status import SERVICES_BUCKET, STATUS_TTL_SECONDS
from netraven_shared.key_value import open_bucket

log = structlog.get_logger()

ALIVE_WITHIN = timedelta(seconds=STATUS_TTL_SECONDS)


async def live_services(js: JetStreamContext, now: datetime) -> list[ServiceOut]:
    """Processes seen within the TTL, sorted by service then instance; an unreadable status is skipped and logged."""
    try:
        bucket = await open_bucket(js, SERVICES_BUCKET, STATUS_TTL_SECONDS)
        keys = await bucket.keys()
    except NoKeysError:
        return []
    except NatsError as error:
        raise Unavailable("NATS did not answer: the service statuses cannot be read right now", str(error)) from error
    services = []
    for key in keys:
        try:
            entry = await bucket.get(key)
            service = ServiceOut.model_validate_json(entry.value or b"")
        except (KeyNotFoundError, KeyDeletedError):
            continue  # expired between the listing and the read
        except ValidationError as error:
            log.warning("services.status_unreadable", key=key, error=reason_of(error))  # never the value: it is not ours
            continue
        if now - service.seen_at <= ALIVE_WITHIN:
            services.append(service)
    return sorted(services, key=lambda service: (service.service, service.instance))
