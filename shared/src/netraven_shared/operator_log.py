"""Emit lines of the unified operator log (`LogEmitted`) from any service."""

from typing import Any
from uuid import UUID

import structlog
from faststream.nats import NatsBroker

from netraven_shared.events import LogEmitted
from netraven_shared.events.logs import LogLevel, LogType
from netraven_shared.messaging import publish_event

log = structlog.get_logger()


class OperatorLog:
    def __init__(self, broker: NatsBroker, source: str) -> None:
        self._broker = broker
        self._source = source

    async def emit(
        self,
        level: LogLevel,
        log_type: LogType,
        message: str,
        *,
        job_id: UUID | None = None,
        run_id: UUID | None = None,
        device_id: UUID | None = None,
        correlation_id: UUID | None = None,
        **extra: Any,
    ) -> None:
        event = LogEmitted(
            level=level,
            log_type=log_type,
            message=message,
            source=self._source,
            job_id=job_id,
            run_id=run_id,
            device_id=device_id,
            extra=extra,
            **({"correlation_id": correlation_id} if correlation_id else {}),
        )
        try:
            await publish_event(self._broker, event)
        except Exception as error:  # noqa: BLE001  an operator log line must never break the work it describes
            log.warning("operator_log.publish_failed", error=str(error), message=message)
