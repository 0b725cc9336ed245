"""Every event field is bounded, and a field that lands in a column fits it: change either side and
this fails.

Bounds are read from each event's JSON schema (what the AsyncAPI document publishes), columns from
the SQLAlchemy tables, so the test holds the contract as other systems see it against the schema as
PostgreSQL enforces it.
"""

from typing import Any

import pytest
from netraven_gitkeeper.config_repo import config_path
from netraven_shared.config_transport import INLINE_LIMIT
from netraven_shared.db.models import (
    ConfigVersion,
    Credential,
    Device,
    Job,
    LogEntry,
    Run,
    RunResult,
)
from netraven_shared.events import (
    ALL_EVENTS,
    ConfigChanged,
    ConfigStored,
    DeviceBackedUp,
    DeviceBackupFailed,
    DeviceBackupStarted,
    DeviceReachabilityChecked,
    Event,
    JobRequested,
    LogEmitted,
)
from netraven_shared.events.backups import INLINE_CONFIG_MAX_CHARS
from netraven_shared.events.base import ERROR_MAX_CHARS, fitted
from pydantic import ValidationError
from sqlalchemy import BigInteger, Column, DateTime, Double, Float, Integer, String, Text, Uuid
from sqlalchemy.dialects.postgresql import JSONB

INTEGER_RANGES = {Integer: (-(2**31), 2**31 - 1), BigInteger: (-(2**63), 2**63 - 1)}

# Each event field written into a column (or looked up by it), and that column.
COLUMN_OF: dict[tuple[type[Event], str], Any] = {
    (JobRequested, "run_id"): Run.id,
    (JobRequested, "job_id"): Job.id,
    (JobRequested, "device_id"): Device.id,
    (JobRequested, "hostname"): Device.hostname,
    (JobRequested, "trigger"): Run.trigger,
    (JobRequested, "kind"): Run.kind,
    (JobRequested, "correlation_id"): Run.correlation_id,
    (DeviceBackupStarted, "run_id"): RunResult.run_id,
    (DeviceBackupStarted, "job_id"): Run.job_id,
    (DeviceBackupStarted, "device_id"): RunResult.device_id,
    (DeviceBackupStarted, "hostname"): RunResult.hostname,
    (DeviceBackupStarted, "attempt"): RunResult.attempts,
    (DeviceBackupStarted, "occurred_at"): RunResult.started_at,
    (DeviceBackedUp, "run_id"): ConfigVersion.run_id,
    (DeviceBackedUp, "job_id"): Run.job_id,
    (DeviceBackedUp, "device_id"): ConfigVersion.device_id,
    (DeviceBackedUp, "hostname"): Device.hostname,
    (DeviceBackedUp, "device_type"): Device.device_type,
    (DeviceBackedUp, "sha256"): ConfigVersion.sha256,
    (DeviceBackedUp, "config_object"): ConfigVersion.sha256,
    (DeviceBackedUp, "size_bytes"): ConfigVersion.size_bytes,
    (DeviceBackedUp, "credential_id"): RunResult.credential_id,
    (DeviceBackedUp, "refused_credential_ids"): Credential.id,
    (DeviceBackupFailed, "run_id"): RunResult.run_id,
    (DeviceBackupFailed, "job_id"): Run.job_id,
    (DeviceBackupFailed, "device_id"): RunResult.device_id,
    (DeviceBackupFailed, "hostname"): RunResult.hostname,
    (DeviceBackupFailed, "error"): RunResult.error,
    (DeviceBackupFailed, "attempts"): RunResult.attempts,
    (DeviceBackupFailed, "refused_credential_ids"): Credential.id,
    (DeviceBackupFailed, "occurred_at"): RunResult.finished_at,
    (ConfigStored, "run_id"): RunResult.run_id,
    (ConfigStored, "device_id"): RunResult.device_id,
    (ConfigStored, "hostname"): RunResult.hostname,
    (ConfigStored, "commit"): ConfigVersion.commit,
    (ConfigStored, "sha256"): ConfigVersion.sha256,
    (ConfigStored, "occurred_at"): RunResult.finished_at,
    (ConfigChanged, "run_id"): ConfigVersion.run_id,
    (ConfigChanged, "job_id"): Job.id,
    (ConfigChanged, "device_id"): ConfigVersion.device_id,
    (ConfigChanged, "hostname"): Device.hostname,
    (ConfigChanged, "old_commit"): ConfigVersion.commit,
    (ConfigChanged, "new_commit"): ConfigVersion.commit,
    (ConfigChanged, "changed_lines"): ConfigVersion.changed_lines,
    (DeviceReachabilityChecked, "run_id"): RunResult.run_id,
    (DeviceReachabilityChecked, "job_id"): Run.job_id,
    (DeviceReachabilityChecked, "device_id"): Device.id,
    (DeviceReachabilityChecked, "hostname"): RunResult.hostname,
    (DeviceReachabilityChecked, "latency_ms"): Device.reachability_latency_ms,
    (DeviceReachabilityChecked, "error"): Device.reachability_error,
    (DeviceReachabilityChecked, "port"): Device.port,
    (DeviceReachabilityChecked, "occurred_at"): Device.reachability_checked_at,
    (LogEmitted, "event_id"): LogEntry.event_id,
    (LogEmitted, "occurred_at"): LogEntry.timestamp,
    (LogEmitted, "correlation_id"): LogEntry.correlation_id,
    (LogEmitted, "level"): LogEntry.level,
    (LogEmitted, "log_type"): LogEntry.log_type,
    (LogEmitted, "message"): LogEntry.message,
    (LogEmitted, "source"): LogEntry.source,
    (LogEmitted, "job_id"): LogEntry.job_id,
    (LogEmitted, "run_id"): LogEntry.run_id,
    (LogEmitted, "device_id"): LogEntry.device_id,
    (LogEmitted, "extra"): LogEntry.extra,
}


def schema_of(event: type[Event], field: str) -> dict:
    """The field's JSON schema, without the `null` of an optional field."""
    schema = event.model_json_schema()["properties"][field]
    options = [option for option in schema.get("anyOf", [schema]) if option.get("type") != "null"]
    assert len(options) == 1, f"{event.__name__}.{field}: one type expected, got {options}"
    return options[0]


def longest_string(schema: dict) -> int | None:
    if "const" in schema:
        return len(schema["const"])
    if "enum" in schema:
        return max(len(value) for value in schema["enum"])
    return schema.get("maxLength")


def unbounded(schema: dict) -> str | None:
    """Why the schema lets through more than any column could hold; None when it is bounded."""
    kind = schema.get("type")
    if (
        kind == "string"
        and schema.get("format") not in ("uuid", "date-time")
        and longest_string(schema) is None
    ):
        return "a string with no maxLength"
    if kind in ("integer", "number") and ("maximum" not in schema or "minimum" not in schema):
        return "a number with no minimum and maximum"
    if kind == "array":
        return "a list with no maxItems" if "maxItems" not in schema else unbounded(schema["items"])
    if kind == "object" and "maxProperties" not in schema:
        return "a mapping with no maxProperties"
    return None


def fits(schema: dict, column: Column) -> str | None:
    """Why a value the schema allows may not fit the column; None when every one fits."""
    if schema.get("type") == "array":
        schema = schema["items"]
    column_type = column.type
    if isinstance(column_type, Uuid):
        return (
            None if schema.get("format") == "uuid" else f"a UUID column, but the field is {schema}"
        )
    if isinstance(column_type, DateTime):
        return (
            None
            if schema.get("format") == "date-time"
            else f"a timestamp column, but the field is {schema}"
        )
    if isinstance(column_type, JSONB):
        return (
            None if schema.get("type") == "object" else f"a JSONB column, but the field is {schema}"
        )
    if isinstance(column_type, Text):
        return (
            None if schema.get("type") == "string" else f"a text column, but the field is {schema}"
        )
    if isinstance(column_type, String):
        longest = longest_string(schema)
        return (
            None
            if longest is not None and longest <= column_type.length
            else f"{longest} characters into String({column_type.length})"
        )
    if isinstance(column_type, Integer):
        low, high = INTEGER_RANGES[BigInteger if isinstance(column_type, BigInteger) else Integer]
        return (
            None
            if low <= schema["minimum"] and schema["maximum"] <= high
            else f"{schema['minimum']}..{schema['maximum']} into {column_type}"
        )
    if isinstance(column_type, Float | Double):
        return (
            None
            if schema.get("type") in ("number", "integer")
            else f"a float column, but the field is {schema}"
        )
    return f"no rule for a {column_type!r} column"


FIELDS = [(event, field) for event in ALL_EVENTS for field in event.model_fields]


@pytest.mark.parametrize(("event", "field"), FIELDS, ids=[f"{e.__name__}.{f}" for e, f in FIELDS])
def test_every_field_of_every_event_is_bounded(event: type[Event], field: str) -> None:
    assert unbounded(schema_of(event, field)) is None, (
        f"{event.__name__}.{field} is {unbounded(schema_of(event, field))}"
    )


@pytest.mark.parametrize(
    ("event", "field"), list(COLUMN_OF), ids=[f"{e.__name__}.{f}" for e, f in COLUMN_OF]
)
def test_a_field_written_into_a_column_fits_it(event: type[Event], field: str) -> None:
    column = COLUMN_OF[(event, field)]
    assert fits(schema_of(event, field), column) is None, (
        f"{event.__name__}.{field} -> {column}: {fits(schema_of(event, field), column)}"
    )


def test_the_longest_hostname_makes_a_git_path_the_index_can_hold() -> None:
    longest = schema_of(DeviceBackedUp, "hostname")["maxLength"]
    assert len(config_path("h" * longest)) <= ConfigVersion.path.type.length


def test_inline_config_text_is_never_refused_for_its_length() -> None:
    assert INLINE_LIMIT <= INLINE_CONFIG_MAX_CHARS


EXAMPLE = DeviceBackedUp.model_config["json_schema_extra"]["examples"][0]


class TestRefusedOnArrival:
    @pytest.mark.parametrize(
        "hostname",
        ["h" * 1000, "core-sw-01\nConfig: forged", "tab\there", "nul\x00byte", ""],
        ids=["1000-chars", "newline", "tab", "nul", "empty"],
    )
    def test_a_hostname_that_no_device_can_have(self, hostname: str) -> None:
        with pytest.raises(ValidationError, match="hostname"):
            DeviceBackedUp.model_validate(EXAMPLE | {"hostname": hostname})

    def test_a_size_the_index_cannot_hold(self) -> None:
        with pytest.raises(ValidationError, match="size_bytes"):
            DeviceBackedUp.model_validate(EXAMPLE | {"size_bytes": 2**31})

    def test_a_nul_byte_in_any_string(self) -> None:
        with pytest.raises(ValidationError, match="config_text holds a NUL byte"):
            DeviceBackedUp.model_validate(EXAMPLE | {"config_text": "hostname a\x00\n"})

    @pytest.mark.parametrize(
        "extra",
        [{"note": "a\x00b"}, {"a\x00": 1}, {"nested": {"list": ["ok", "\x00"]}}],
        ids=["value", "key", "nested"],
    )
    def test_a_nul_byte_anywhere_in_a_log_lines_extra(self, extra: dict) -> None:
        with pytest.raises(ValidationError, match="extra holds a NUL byte"):
            LogEmitted(level="info", log_type="job", message="m", source="test", extra=extra)

    def test_a_log_source_longer_than_its_column(self) -> None:
        with pytest.raises(ValidationError, match="source"):
            LogEmitted(level="info", log_type="job", message="m", source="s" * 51)

    def test_a_log_lines_extra_too_large(self) -> None:
        with pytest.raises(ValidationError, match="extra is over"):
            LogEmitted(
                level="info", log_type="job", message="m", source="test", extra={"blob": "x" * 9000}
            )


class TestFittedText:
    def test_a_long_error_is_cut_to_the_bound_and_says_so(self) -> None:
        text = fitted("x" * 5000)
        assert len(text) == ERROR_MAX_CHARS and text.endswith("…")
        DeviceBackupFailed(run_id=EXAMPLE["run_id"], error=text, attempts=1)

    def test_nul_bytes_are_dropped_and_a_short_text_is_kept(self) -> None:
        assert fitted("connection\x00 refused") == "connection refused"
