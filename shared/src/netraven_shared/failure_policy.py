"""What happens to a message whose handler fails, for every FastStream subscriber.

- a payload that does not match its contract, or that the handler refuses (`Rejected`: an unknown
  device, run or job), is terminated, never redelivered, and recorded as an `EventRejected`: a
  malformed event can neither crash a service nor loop forever, and an operator sees it;
- any other error is handed back with a growing delay, so JetStream redelivers it (bounded by
  the consumer's `max_deliver`) instead of dropping it; the reconciler catches what runs out;
- a handler that decides for itself raises FastStream's `NackMessage` / `RejectMessage`.
"""

from typing import Any

import structlog
from faststream import BaseMiddleware
from faststream.exceptions import HandlerException, NackMessage, RejectMessage
from pydantic import ValidationError

from netraven_shared.rejection import Rejected

log = structlog.get_logger()

MAX_RETRY_DELAY = 60.0


def _deliveries(raw: Any) -> int:
    metadata = getattr(raw, "metadata", None)
    return getattr(metadata, "num_delivered", 1) or 1


class FailurePolicy(BaseMiddleware):
    async def consume_scope(self, call_next: Any, msg: Any) -> Any:
        subject = getattr(msg.raw_message, "subject", "batch")
        try:
            return await call_next(msg)
        except HandlerException:
            raise
        except (ValidationError, Rejected) as error:
            await self._reject(subject, error)
            raise RejectMessage from error
        except Exception as error:
            delay = min(MAX_RETRY_DELAY, 2.0 ** _deliveries(msg.raw_message))
            log.exception(
                "message.failed", subject=subject, retry_in_seconds=delay, error=str(error)
            )
            raise NackMessage(delay=delay) from error

    async def _reject(self, subject: str, error: Exception) -> None:
        # imported here: messaging builds every broker with this middleware, and recording publishes
        # through messaging
        from netraven_shared.rejected_events import reason_of, record_rejection, service_of

        broker = self.context.get("broker")
        try:
            await record_rejection(broker, subject, reason_of(error), service_of(broker))
        except Exception:
            log.exception("message.rejection_not_recorded", subject=subject)
