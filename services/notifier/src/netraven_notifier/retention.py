"""What the notifier prunes (see netraven_shared.retention): its delivery log, by when each
notification was made. A delivery still waiting (pending, or queued for a digest) is kept."""

from datetime import datetime

from netraven_shared.db.models import NotificationDelivery
from netraven_shared.retention import Retention, delete_oldest
from sqlalchemy.ext.asyncio import AsyncSession

WAITING = ("pending", "digest_queued")


async def delete_deliveries(session: AsyncSession, cutoff: datetime, limit: int) -> int:
    return await delete_oldest(
        session,
        NotificationDelivery,
        NotificationDelivery.created_at,
        cutoff,
        limit,
        NotificationDelivery.status.not_in(WAITING),
    )


def delivery_retention(days: int) -> Retention:
    return Retention("notification deliveries", days, delete_deliveries)
