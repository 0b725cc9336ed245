"""Security decisions (host keys pinned, accepted or cleared, credentials unbound, management
networks replaced) as lines of the operator log, with who decided and the fingerprints involved.

Emitted after the commit that makes the decision true; `log_type` is `system` and `extra.audit`
names the decision, so the logs page filters them with `q` or by device.
"""

from typing import Any
from uuid import UUID

import structlog
from faststream.nats import NatsBroker
from netraven_shared.operator_log import OperatorLog

log = structlog.get_logger()


async def audit(
    broker: NatsBroker,
    decision: str,
    message: str,
    *,
    by: str,
    device_id: UUID | None = None,
    **extra: Any,
) -> None:
    log.info(f"audit.{decision}", by=by, device_id=str(device_id) if device_id else None, **extra)
    await OperatorLog(broker, "api").emit(
        "info", "system", message, device_id=device_id, audit=decision, by=by, **extra
    )
