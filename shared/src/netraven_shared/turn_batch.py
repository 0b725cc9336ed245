"""Asks made together, answered together: the asks of one event-loop turn (and those made while
their answer is being worked out) go to one call of `answer_all`, and each asker gets its own
answer.

A worker's backups start by the dozen (their dispatches come in one pull) and move in step, so
their device reads (the worker's device_batch.py) share one statement and their operator log lines
(operator_log.py) one message. A failed call fails every ask of its batch with the same error.
"""

import asyncio
import contextvars
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

Ask = TypeVar("Ask")
Answer = TypeVar("Answer")


class TurnBatch(Generic[Ask, Answer]):
    def __init__(self, answer_all: Callable[[list[Ask]], Awaitable[Sequence[Answer]]]) -> None:
        """`answer_all` answers a batch of asks, in their order."""
        self._answer_all = answer_all
        self._asks: list[tuple[Ask, asyncio.Future[Answer]]] = []
        self._answering: asyncio.Task[None] | None = None

    async def ask(self, ask: Ask) -> Answer:
        answer: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._asks.append((ask, answer))
        if self._answering is None:
            # In a context of its own: the batch is no more the first asker's than the others'.
            self._answering = asyncio.create_task(
                self._answer_while_asked(), context=contextvars.Context()
            )
        return await answer

    async def _answer_while_asked(self) -> None:
        batch: list[tuple[Ask, asyncio.Future[Answer]]] = []
        try:
            while self._asks:
                batch, self._asks = self._asks, []
                await self._answer(batch)
        finally:
            self._answering = None
            for _, answer in batch + self._asks:  # only if this task itself was cancelled
                answer.cancel()
            self._asks = []

    async def _answer(self, batch: list[tuple[Ask, asyncio.Future[Answer]]]) -> None:
        try:
            answers = await self._answer_all([ask for ask, _ in batch])
        except Exception as error:  # noqa: BLE001  handed to every ask of the batch
            for _, answer in batch:
                if not answer.done():
                    answer.set_exception(error)
            return
        for (_, answer), result in zip(batch, answers, strict=True):
            if not answer.done():  # its asker may have been cancelled
                answer.set_result(result)
