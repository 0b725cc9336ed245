"""Emit lines of the unified operator log (`LogEmitted`) from any service: one at a time, or a
whole batch's lines at once (`line` builds them, `emit_lines` publishes them together, as few
`LogLinesEmitted` messages as fit the logs stream: `log_batches`). Lines emitted one at a time in
the same event-loop turn travel together too (`TurnBatch`): a line alone is a `LogEmitted`.

A publish that meets an outage is tried once more after a moment: a NATS cluster that lost a node
elects new stream leaders within seconds, and the lines' event ids store a line that did get
through the first time only once. A second failure is logged and the line dropped: a log line
never holds up the work it describes for long."""

import asyncio
from collections.abc import Sequence
from typing import Any
from uuid import UUID

import structlog
from faststream.nats import NatsBroker

from netraven_shared.events import Event, LogEmitted
from netraven_shared.events.logs import LogLevel, LogType
from netraven_shared.log_batches import in_messages
from netraven_shared.messaging import publish_events
from netraven_shared.outage import is_outage
from netraven_shared.turn_batch import TurnBatch

log = structlog.get_logger()
RETRY_AFTER_OUTAGE_SECONDS = 1.0


class OperatorLog:
    def __init__(self, broker: NatsBroker, source: str) -> None:
        self._broker = broker
        self._source = source
        self._together = TurnBatch(self._published_together)

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
        """Publish one line; `fields` as for `line`. Lines emitted in the same event-loop turn go
        out together (the backups of a worker's pull finish in step), each emit still waiting for
        its line's ack."""
        line = self.line(level, log_type, message, **fields)
        try:
            await self._together.ask(line)
        except Exception as error:  # noqa: BLE001  a log line must never break the work it describes
            log.warning("operator_log.publish_failed", error=str(error), message=message)

    async def emit_lines(self, lines: Sequence[LogEmitted]) -> None:
        """Publish many lines together, in as few messages as fit (one wait for all their acks); a
        failure is only logged."""
        try:
            await self._publish(in_messages(lines))
        except Exception as error:  # noqa: BLE001  a log line must never break the work it describes
            log.warning("operator_log.publish_failed", error=str(error), lines=len(lines))

    async def _published_together(self, lines: list[LogEmitted]) -> list[None]:
        await self._publish(in_messages(lines))
        return [None] * len(lines)

    async def _publish(self, messages: Sequence[Event]) -> None:
        try:
            await publish_events(self._broker, messages)
        except Exception as error:
            if not is_outage(error):
                raise
            log.info("operator_log.publish_retrying", error=str(error), messages=len(messages))
            await asyncio.sleep(RETRY_AFTER_OUTAGE_SECONDS)
            await publish_events(self._broker, messages)
