"""A batch's log lines as few messages as the logs stream takes: `LogLinesEmitted` of at most
`LINES_MAX` lines and `LINES_MAX_BYTES` of encoded lines each, a line left alone as a plain
`LogEmitted`.

A bounded line is at most some 33 KiB encoded (4000 characters of message, 8 KiB of `extra`), so
every line fits a message of its own. A batch's id is derived from its lines' ids: announcing the
same lines again (a redelivered backup) makes the same messages, which JetStream deduplicates
within its window; after that, each line's own id keeps it stored once.
"""

from collections.abc import Sequence
from uuid import NAMESPACE_URL, UUID, uuid5

from netraven_shared.bus_streams import LOGS_MAX_MSG_BYTES
from netraven_shared.events import LogEmitted, LogLinesEmitted
from netraven_shared.events.logs import LINES_MAX

# Room for the envelope (ids, timestamp, `"lines":[]`) and the headers (dedup id, expected stream,
# trace context), which the stream counts towards its message limit.
ENVELOPE_ROOM_BYTES = 4 * 1024
LINES_MAX_BYTES = LOGS_MAX_MSG_BYTES - ENVELOPE_ROOM_BYTES


def in_messages(lines: Sequence[LogEmitted]) -> list[LogEmitted | LogLinesEmitted]:
    """`lines`, in order, as the messages that carry them."""
    return [chunk[0] if len(chunk) == 1 else batch_of(chunk) for chunk in _chunks(lines)]


def batch_of(lines: Sequence[LogEmitted]) -> LogLinesEmitted:
    return LogLinesEmitted(event_id=_batch_id(lines), lines=list(lines))


def _batch_id(lines: Sequence[LogEmitted]) -> UUID:
    return uuid5(NAMESPACE_URL, "netraven:log-lines:" + ",".join(str(x.event_id) for x in lines))


def _chunks(lines: Sequence[LogEmitted]) -> list[list[LogEmitted]]:
    chunks: list[list[LogEmitted]] = []
    chunk: list[LogEmitted] = []
    chunk_bytes = 0
    for line in lines:
        size = len(line.model_dump_json().encode()) + 1  # and the comma between lines
        if chunk and (len(chunk) == LINES_MAX or chunk_bytes + size > LINES_MAX_BYTES):
            chunks.append(chunk)
            chunk, chunk_bytes = [], 0
        chunk.append(line)
        chunk_bytes += size
    if chunk:
        chunks.append(chunk)
    return chunks
