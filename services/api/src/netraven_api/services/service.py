"""The service processes alive now, from the statuses they write to the `netraven-services`
bucket."""

from datetime import datetime, timedelta

from nats.js import JetStreamContext
from netraven_shared.events.service_status import SERVICES_BUCKET, STATUS_TTL_SECONDS

from netraven_api.kv_statuses import live_statuses
from netraven_api.services.schemas import ServiceOut


async def live_services(js: JetStreamContext, now: datetime) -> list[ServiceOut]:
    """Processes seen within the TTL, sorted by service then instance."""
    alive = await live_statuses(
        js,
        SERVICES_BUCKET,
        ServiceOut,
        lambda s: s.seen_at,
        timedelta(seconds=STATUS_TTL_SECONDS),
        now,
    )
    return sorted(alive, key=lambda service: (service.service, service.instance))
