"""Emit lines of the unified operator log (`LogEmitted`) from any service: one at a time, or a
whole batch's lines at once (`line` builds them, `emit_lines` publishes them together)."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import structlog
from faststream.nats import NatsBroker

from netraven_shared.events import LogEmitted
from netraven_shared.events.logs import LogLevel, LogType
from netraven_shared.messaging import publish_event, publish_events

log = structlog.get_logger()


class OperatorLog:
    def __init__(self, broker: NatsBroker, source: str) -> None:
        self._broker = broker
        self._source = source

    def line(
        self,
        level: LogLevel,
        log_type: LogType,
        message: str,
        *,
        job_id: UUID | None = None,
        run_id: UUID | None = None,
        device_id: UUID | None = None,
        correlation_id: UUID | None = None,
        event_id: UUID | None = None,
        **extra: Any,
    ) -> LogEmitted:
        """One line of this service's, to publish with `emit_lines`; `event_id` (default: a new
        one) lets a line announced again be stored once."""
        return LogEmitted(
            level=level,
            log_type=log_type,
            message=message,
            source=self._source,
            job_id=job_id,
            run_id=run_id,
            device_id=device_id,
            extra=extra,
            **({"correlation_id": correlation_id} if correlation_id else {}),
            **({"event_id": event_id} if event_id else {}),
        )

    async def emit(self, level: LogLevel, log_type: LogType, message: str, **fields: Any) -> None:
        """Publish one line at once; `fields` as for `line`."""
        line = self.line(level, log_type, message, **fields)
        try:
            await publish_event(self._broker, line)
        except Exception as error:  # noqa: BLE001  a log line must never break the work it describes
            log.warning("operator_log.publish_failed", error=str(error), message=message)

    async def emit_lines(self, lines: Sequence[LogEmitted]) -> None:
        """Publish many lines together (one wait for all their acks); a failure is only logged."""
        try:
            await publish_events(self._broker, lines)
        except Exception as error:  # noqa: BLE001  a log line must never break the work it describes
            log.warning("operator_log.publish_failed", error=str(error), lines=len(lines))
