"""What the notifier sends: one notification, whatever the channel, and how it is stored.

`details` holds what a machine may want beside the text (the device, the run, the diff of a
change): a webhook sends it as JSON, Apprise channels get `text`. The whole notification is kept in
the delivery's `body` column, so a failed delivery can be sent again from its row alone.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

Severity = Literal["info", "warning", "critical"]
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "critical": 2}


@dataclass(frozen=True)
class Notification:
    event_id: UUID
    kind: str
    severity: Severity
    title: str
    text: str
    occurred_at: datetime
    device_id: UUID | None = None
    hostname: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def stored_body(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "hostname": self.hostname,
            "occurred_at": self.occurred_at.isoformat(),
            "details": self.details,
        }

    @classmethod
    def from_row(
        cls,
        *,
        event_id: UUID,
        event_kind: str,
        severity: str,
        title: str,
        device_id: UUID | None,
        body: dict[str, Any],
    ) -> "Notification":
        return cls(
            event_id=event_id,
            kind=event_kind,
            severity=severity,  # type: ignore[arg-type]  # the column's check holds it to Severity
            title=title,
            text=body["text"],
            occurred_at=datetime.fromisoformat(body["occurred_at"]),
            device_id=device_id,
            hostname=body.get("hostname"),
            details=body.get("details", {}),
        )
