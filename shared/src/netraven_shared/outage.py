"""Tell a dependency that is away (PostgreSQL down or restarting, NATS reconnecting) from a message
at fault.

An outage is waited out: the work is kept in hand and retried with a capped backoff, and no delivery
is spent on it. Anything else is a fault of the data (or a bug) and is isolated to its message.
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import suppress
from typing import TypeVar

import asyncpg.exceptions as pg
import nats.errors
import nats.js.errors
import sqlalchemy.exc
import structlog

log = structlog.get_logger()
T = TypeVar("T")

FIRST_RETRY_SECONDS = 1.0
LONGEST_RETRY_SECONDS = 30.0

_AWAY = (
    OSError,  # refused, reset, unreachable; also TimeoutError and nats' TimeoutError
    asyncio.TimeoutError,
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.TimeoutError,  # no pooled connection came free
    pg.PostgresConnectionError,
    pg.InterfaceError,
    pg.OperatorInterventionError,  # shutting down, starting up
    # deadlock, serialization failure: the same write succeeds when retried
    pg.TransactionRollbackError,
    nats.errors.ConnectionClosedError,
    nats.errors.NoServersError,
    nats.errors.NoRespondersError,
    nats.errors.StaleConnectionError,
    nats.errors.ConnectionReconnectingError,
    # A 503 to a JetStream publish: no stream answered. In a cluster that lost a node, the stream
    # is electing its new leader for a few seconds (`publish_events` says NoRespondersError).
    nats.js.errors.NoStreamResponseError,
)


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def is_outage(error: BaseException) -> bool:
    """True when `error` says a dependency is unreachable rather than that the data is wrong."""
    chain = list(_chain(error))
    if any(isinstance(e, ValueError) for e in chain):
        return (
            False  # e.g. asyncpg refusing to encode a value: an InterfaceError, but about the data
        )
    if any(isinstance(e, sqlalchemy.exc.DBAPIError) and e.connection_invalidated for e in chain):
        return True
    return any(isinstance(e, _AWAY) for e in chain)


def next_retry_seconds(previous: float | None) -> float:
    return FIRST_RETRY_SECONDS if previous is None else min(previous * 2, LONGEST_RETRY_SECONDS)


class StoppedWaiting(Exception):
    """The caller stopped while an outage was being waited out."""


async def retried_through_outages(
    operation: Callable[[], Awaitable[T]], what: str, stopping: asyncio.Event | None = None
) -> T:
    """`operation()`, run again with a capped backoff for as long as it fails with an outage; one
    warning per outage. Other errors propagate at once; so does `StoppedWaiting` once `stopping` is
    set."""
    delay: float | None = None
    while True:
        try:
            result = await operation()
        except Exception as error:
            if not is_outage(error):
                raise
            if delay is None:
                log.warning(
                    "dependency.unreachable",
                    what=what,
                    error=f"{type(error).__name__}: {error}",
                    message=f"database or bus unreachable: {what}",
                )
            delay = next_retry_seconds(delay)
            if stopping is None:
                await asyncio.sleep(delay)
            else:
                with suppress(TimeoutError):
                    await asyncio.wait_for(stopping.wait(), timeout=delay)
                if stopping.is_set():
                    raise StoppedWaiting from error
            continue
        if delay is not None:
            log.info("dependency.back", what=what)
        return result


class PassWatch:
    """For a loop that simply tries again on its next pass (a tick, a poll): one warning when a
    dependency goes away, one note when it is back, and a traceback for anything that is not an
    outage."""

    def __init__(self, what: str) -> None:
        self._what = what
        self._away = False

    def failed(self, error: Exception) -> None:
        if not is_outage(error):
            log.error("pass.failed", what=self._what, exc_info=error)
            return
        if not self._away:
            log.warning(
                "dependency.unreachable",
                what=self._what,
                error=f"{type(error).__name__}: {error}",
                message=f"database or bus unreachable: {self._what}",
            )
        self._away = True

    @property
    def away(self) -> bool:
        """Whether the last pass failed because a dependency was unreachable."""
        return self._away

    def succeeded(self) -> None:
        if self._away:
            log.info("dependency.back", what=self._what)
        self._away = False
