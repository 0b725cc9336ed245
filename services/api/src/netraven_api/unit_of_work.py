"""A unit of work: one session, one commit at the edge, then the publishes it announces.

Endpoints and services flush; they never commit. When the endpoint has returned (its response
already built), the request commits once and only then runs what was queued with `after_commit`
(waking the outbox relay, announcing a decision on the bus): nothing announces a change that might
still roll back. An error raised anywhere in the request (a 4xx included) rolls the whole request
back and publishes nothing. The api's other edges (a batch of bus messages, a reconciler pass, a
command line) open theirs with `unit_of_work(sessions)`.
"""

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated

import structlog
from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

log = structlog.get_logger()

AfterCommit = Callable[[], Awaitable[object] | None]


class UnitOfWork:
    """The session to flush into, and what to publish once it commits; `unit_of_work` commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._after_commit: list[AfterCommit] = []

    def after_commit(self, publish: AfterCommit) -> None:
        """Run `publish` once the request's transaction has committed; never if it rolls back."""
        self._after_commit.append(publish)

    async def _commit_then_publish(self) -> None:
        """Commit, then publish in the order queued. The commit is the truth: a publish that fails
        afterwards is logged, and the rest still go out."""
        await self.session.commit()
        queued, self._after_commit = self._after_commit, []
        for publish in queued:
            try:
                result = publish()
                if inspect.isawaitable(result):
                    await result
            except Exception:
                named = getattr(publish, "func", publish)  # a functools.partial names its function
                name = getattr(named, "__qualname__", None)
                log.exception("unit_of_work.publish_failed", publish=name)

    async def _roll_back(self) -> None:
        self._after_commit.clear()
        await self.session.rollback()


@asynccontextmanager
async def unit_of_work(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[UnitOfWork]:
    """One unit of work: committed when the block ends normally, rolled back on any error (and
    on cancellation, by the session's close)."""
    async with sessions() as session:
        work = UnitOfWork(session)
        try:
            yield work
        except Exception:
            await work._roll_back()
            raise
        await work._commit_then_publish()


async def _request_unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    async with unit_of_work(request.app.state.sessions) as work:
        yield work


# scope="function": the commit runs when the endpoint returns, before the response is sent, so a
# client never sees a success that did not commit.
UnitOfWorkDep = Annotated[UnitOfWork, Depends(_request_unit_of_work, scope="function")]
