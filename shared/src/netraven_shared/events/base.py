"""What every event carries, and the bounds every event field keeps. Consumers ignore fields they do
not know.

Every string and number is bounded to what the column it lands in (or the git path it names) can
hold, so a valid event can always be stored; tests/shared/test_event_bounds.py holds each bound
against its column. No string anywhere in an event may hold a NUL byte: PostgreSQL refuses it in
text and in JSONB.
"""

from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

INT32_MAX = 2**31 - 1
HOSTNAME_MAX_CHARS = 255
ERROR_MAX_CHARS = 2000
SHA256_PATTERN = r"^[0-9a-f]{64}$"
COMMIT_PATTERN = r"^[0-9a-f]{40}$"
MAX_CREDENTIALS_TRIED = 100

# A device's name as the inventory holds it: one line, no control characters.
Hostname = Annotated[
    str,
    StringConstraints(min_length=1, max_length=HOSTNAME_MAX_CHARS, pattern=r"^[^\x00-\x1f\x7f]+$"),
]
ErrorText = Annotated[str, StringConstraints(min_length=1, max_length=ERROR_MAX_CHARS)]
Sha256 = Annotated[str, StringConstraints(min_length=64, max_length=64, pattern=SHA256_PATTERN)]
CommitId = Annotated[str, StringConstraints(min_length=40, max_length=40, pattern=COMMIT_PATTERN)]


def utc_now() -> datetime:
    return datetime.now(UTC)


def fitted(text: str, max_chars: int = ERROR_MAX_CHARS) -> str:
    """`text` as a bounded event field can carry it: NUL bytes dropped, cut to `max_chars` with an
    ellipsis."""
    text = text.replace("\x00", "")
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


# Exact types no value of which holds a NUL byte: most of an event's fields, passed by one set
# look-up (every event is checked, thousands at a run's start).
_NUL_FREE_TYPES = frozenset({UUID, datetime, int, float, bool, type(None)})


def _holds_nul(value: Any) -> bool:
    if type(value) in _NUL_FREE_TYPES:
        return False
    if isinstance(value, str):
        return "\x00" in value
    if value is None or isinstance(value, UUID | datetime | int | float):
        return False
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(_holds_nul(item) for item in value)
    if isinstance(value, BaseModel):
        return any(_holds_nul(getattr(value, name)) for name in type(value).model_fields)
    return False


class Event(BaseModel):
    model_config = ConfigDict(extra="ignore")

    subject: ClassVar[str]

    event_id: UUID = Field(default_factory=uuid4)
    occurred_at: datetime = Field(default_factory=utc_now)
    schema_version: int = Field(default=1, ge=1, le=1000)
    correlation_id: UUID = Field(default_factory=uuid4)

    @property
    def published_on(self) -> str:
        """The subject this event goes out on: its class's, unless that names a party per event
        (a remote site's requests)."""
        return self.subject

    @model_validator(mode="after")
    def _no_nul_byte(self) -> "Event":
        for name, value in self.__dict__.items():
            if _holds_nul(value):
                raise ValueError(f"{name} holds a NUL byte")
        return self
