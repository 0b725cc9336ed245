"""A request/reply subscriber's answer to a request it cannot use (not JSON, or not its schema): a
reply at once, built by the service's `answer(reason)`, instead of leaving the requester to its
timeout; and an `EventRejected`, like any refused message, so an operator sees who sends such
requests. Neither carries the payload.
"""

from collections.abc import Callable
from typing import Annotated

import structlog
from faststream import Context
from faststream.middlewares import ExceptionMiddleware
from faststream.nats import NatsBroker, NatsMessage
from pydantic import BaseModel, ValidationError

from netraven_shared.rejected_events import reason_of, record_rejection, service_of

log = structlog.get_logger()


def answering_bad_requests(answer: Callable[[str], BaseModel]) -> ExceptionMiddleware:
    """The middleware for a router of request/reply subscribers."""
    middleware = ExceptionMiddleware()

    @middleware.add_handler(ValidationError, publish=True)
    async def refuse(
        error: ValidationError,
        message: NatsMessage,
        broker: Annotated[NatsBroker, Context("broker")],
    ) -> BaseModel:
        reason = reason_of(error)
        try:
            await record_rejection(broker, message.raw_message.subject, reason, service_of(broker))
        except Exception:
            log.exception("request.rejection_not_recorded", subject=message.raw_message.subject)
        return answer(reason)

    return middleware
