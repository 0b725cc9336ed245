"""The send-test RPC: an admin's "send a test" in the dashboard, asked by the api. The reply comes
after the test message was actually delivered (or failed), and the attempt is a delivery row."""

from faststream.nats import NatsBroker, NatsRouter
from netraven_shared.events import subjects
from netraven_shared.events.notification_rpc import NotificationTestReply, SendTestNotification
from netraven_shared.refused_requests import answering_bad_requests

from netraven_notifier.dispatcher import Dispatcher


def register_test_requests(broker: NatsBroker, dispatcher: Dispatcher) -> None:
    router = NatsRouter(
        middlewares=[
            answering_bad_requests(
                lambda reason: NotificationTestReply(outcome="failed", error=reason)
            )
        ]
    )

    @router.subscriber(
        subjects.SEND_TEST_NOTIFICATION, queue="notifier", title="notifier/send-test"
    )
    async def on_send_test(request: SendTestNotification) -> NotificationTestReply:
        return await dispatcher.send_test(request.channel_id, request.requested_by)

    broker.include_router(router)
