"""Record a message a service refused to act on: publish `EventRejected`, never the payload.

log-collector turns each into a `rejected_events` row and a `bus` line of the unified log, so an
operator sees rejections without reading a service's stdout.
"""

import sqlalchemy.exc
import structlog
from faststream.nats import NatsBroker
from prometheus_client import Counter
from pydantic import ValidationError

from netraven_shared.bus_identities import (
    IDENTITIES,
    SITE_IDENTITY_PREFIX,
    identities_allowed_to_publish,
)
from netraven_shared.events import EventRejected, subjects
from netraven_shared.messaging import publish_event
from netraven_shared.rejection import Rejected

log = structlog.get_logger()
REJECTED = Counter(
    "netraven_rejected_events",
    "Messages this service refused to act on and recorded, by the subject they came on",
    ["subject"],
)
REASON_MAX_CHARS = 1000
_NOT_AN_OBJECT = ("model_type", "model_attributes_type", "dict_type", "json_invalid")
ERROR_LINE_MAX_CHARS = 300


def reason_of(error: BaseException) -> str:
    """Why a message was refused, without its payload: SQLAlchemy's own text would quote the
    statement's parameters, so a database error is told by the driver's first line."""
    if isinstance(error, Rejected):
        return error.reason
    if isinstance(error, ValidationError):
        if any(e["type"] in _NOT_AN_OBJECT and len(e["loc"]) <= 1 for e in error.errors()):
            return "invalid payload: not a JSON object"
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in error.errors()[:5]
        )
        return f"invalid payload: {problems}"
    if isinstance(error, sqlalchemy.exc.DBAPIError) and error.orig is not None:
        error = error.orig.__cause__ or error.orig
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}"[:ERROR_LINE_MAX_CHARS]


def sender_identity(subject: str) -> str | None:
    """Who sent it, as far as the bus can vouch: the identities whose permissions allow publishing
    on `subject` (NATS does not stamp messages with their publisher). None for a subject no identity
    may use."""
    return ", ".join(identities_allowed_to_publish(subject)) or None


def service_of(broker: NatsBroker) -> str:
    """The service a broker belongs to: its bus identity (a worker's connection is named after the
    worker, but its rejections are the worker service's); a test's broker, by its client name."""
    identity = getattr(broker, "identity", None)
    if identity in IDENTITIES or str(identity).startswith(SITE_IDENTITY_PREFIX):
        return str(identity)
    connection = broker.config.connection_state.connection
    return (connection.options.get("name") if connection else None) or "unknown"


async def record_rejection(
    broker: NatsBroker,
    rejected_subject: str,
    reason: str,
    service: str,
    *,
    unreadable: bool = False,
) -> None:
    """Log and publish one rejection. An `EventRejected` that could not be read (`unreadable`) is
    recorded like any message: its record is one this code built, which always reads. One that was
    read but could not be stored is only logged, since its record could be refused the same way,
    forever."""
    reason = reason.strip() or "rejected"
    log.warning("message.rejected", subject=rejected_subject, reason=reason, service=service)
    REJECTED.labels(rejected_subject[:255]).inc()
    if rejected_subject == subjects.EVENT_REJECTED and not unreadable:
        return
    await publish_event(
        broker,
        EventRejected(
            rejected_subject=rejected_subject[:255],
            reason=reason[:REASON_MAX_CHARS],
            service=service[:50],
            identity=sender_identity(rejected_subject),
        ),
    )
