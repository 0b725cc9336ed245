"""Record a message a service refused to act on: publish `EventRejected`, never the payload.

log-collector turns each into a `rejected_events` row and a `bus` line of the unified log, so an
operator sees rejections without reading a service's stdout.
"""

import structlog
from faststream.nats import NatsBroker

from netraven_shared.events import EventRejected, subjects
from netraven_shared.messaging import publish_event

log = structlog.get_logger()
REASON_MAX_CHARS = 1000


def sender_identity(subject: str) -> str | None:
    """The bus identity that may publish on `subject`, once the bus-permission matrix exists to say
    so; None until the lead wires it in: a rejection then names no sender rather than a guessed one."""
    return None


def service_of(broker: NatsBroker) -> str:
    """The service a broker belongs to: the client name it connects with (`build_broker`)."""
    connection = broker.config.connection_state.connection
    return (connection.options.get("name") if connection else None) or "unknown"


async def record_rejection(broker: NatsBroker, rejected_subject: str, reason: str, service: str) -> None:
    """Log and publish one rejection. A rejection of a rejection is only logged, so a malformed
    `EventRejected` cannot start a loop."""
    reason = reason.strip() or "rejected"
    log.warning("message.rejected", subject=rejected_subject, reason=reason, service=service)
    if rejected_subject == subjects.EVENT_REJECTED:
        return
    await publish_event(broker, EventRejected(
        rejected_subject=rejected_subject[:255], reason=reason[:REASON_MAX_CHARS], service=service[:50],
        identity=sender_identity(rejected_subject),
    ))
