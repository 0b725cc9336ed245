""" "Send a test": the api asks a notifier (request/reply over NATS) to send one message through a
channel, and answers with what the channel said."""

from faststream.nats import NatsBroker
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout
from netraven_shared.db.models import NotificationChannel
from netraven_shared.errors import Unavailable
from netraven_shared.events import subjects
from netraven_shared.events.notification_rpc import NotificationTestReply, SendTestNotification

from netraven_api.notifications.schemas import ChannelTestOutcome


async def send_test(
    broker: NatsBroker, channel: NotificationChannel, requested_by: str, timeout: float
) -> ChannelTestOutcome:
    request = SendTestNotification(channel_id=channel.id, requested_by=requested_by)
    try:
        response = await broker.request(request, subjects.SEND_TEST_NOTIFICATION, timeout=timeout)
    except (NoRespondersError, NatsTimeout) as error:
        raise Unavailable(
            f"no notifier answered within {timeout:g} s: is the notifier service running?"
        ) from error
    reply = NotificationTestReply.model_validate_json(response.body)
    return ChannelTestOutcome(**reply.model_dump())
