"""How a batch's log lines are cut into messages (`log_batches.in_messages`): in order, each message
under the logs stream's limit with room for its headers, at most `LINES_MAX` lines, a line alone as
a plain `LogEmitted`, the same lines always the same messages."""

import json

import pytest
from netraven_shared import log_batches
from netraven_shared.bus_streams import LOGS_MAX_MSG_BYTES
from netraven_shared.events import LogEmitted, LogLinesEmitted
from netraven_shared.events.logs import EXTRA_MAX_BYTES
from netraven_shared.log_batches import in_messages

# What NetRaven's publish adds as headers: content type, correlation id, dedup id, expected stream,
# trace context; generously.
HEADERS_BYTES = 1024


def line(message: str = "m", **extra: object) -> LogEmitted:
    return LogEmitted(level="info", log_type="config", message=message, source="test", extra=extra)


def the_largest_line() -> LogEmitted:
    """4000 control characters (six bytes each in JSON) and an `extra` at its limit."""
    blob = "x" * (EXTRA_MAX_BYTES - len(json.dumps({"blob": ""})))
    return line("\x01" * 4000, blob=blob)


def carried(messages: list[LogEmitted | LogLinesEmitted]) -> list[LogEmitted]:
    return [x for m in messages for x in (m.lines if isinstance(m, LogLinesEmitted) else [m])]


def test_the_largest_lines_go_in_messages_the_stream_takes() -> None:
    lines = [the_largest_line() for _ in range(5)]
    messages = in_messages(lines)
    sizes = [len(message.model_dump_json().encode()) for message in messages]
    assert len(messages) > 1 and max(sizes) + HEADERS_BYTES <= LOGS_MAX_MSG_BYTES, sizes
    assert carried(messages) == lines


def test_small_lines_share_a_message_up_to_its_size() -> None:
    lines = [line(f"device-{n}: unchanged since the last backup") for n in range(500)]
    messages = in_messages(lines)
    sizes = [len(message.model_dump_json().encode()) for message in messages]
    assert 1 < len(messages) < 10
    assert max(sizes) + HEADERS_BYTES <= LOGS_MAX_MSG_BYTES, sizes
    assert min(sizes[:-1]) > log_batches.LINES_MAX_BYTES * 0.9, "each full before the next"
    assert carried(messages) == lines


def test_no_message_holds_more_than_its_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(log_batches, "LINES_MAX", 3)
    lines = [line(f"l{n}") for n in range(10)]
    messages = in_messages(lines)
    assert [type(m).__name__ for m in messages] == ["LogLinesEmitted"] * 3 + ["LogEmitted"]
    assert carried(messages) == lines


def test_a_single_line_goes_as_it_is_and_no_line_as_nothing() -> None:
    single = line()
    assert in_messages([single]) == [single]
    assert in_messages([]) == []


def test_the_same_lines_make_the_same_message_and_other_lines_another() -> None:
    lines = [line(f"l{n}") for n in range(3)]
    again = [x.model_copy() for x in lines]
    (first,), (second,) = in_messages(lines), in_messages(again)
    assert first.event_id == second.event_id, "JetStream deduplicates an announcement repeated"
    (other,) = in_messages([*lines[:2], line("l2")])
    assert other.event_id != first.event_id
