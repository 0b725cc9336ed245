"""Asks made together, answered together: the asks of one event-loop turn (and those made while
their answer is being worked out) go to one call of `answer_all`, and each asker gets its own
answer.

A worker's backups start by the dozen (their dispatches come in one pull) and move in step, so
their device reads (the worker's device_batch.py) share one statement and their operator log lines
(operator_log.py) one message. A failed call fails every ask of its batch with the same error.

A batch of one is answered in its asker's context (a traced backup's statement or line stays in its
trace); a batch of many in a context of its own, since it is no more the first asker's than the
others'.
"""

import asyncio
import contextvars
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, Generic, NamedTuple, TypeVar

Ask = TypeVar("Ask")
Answer = TypeVar("Answer")


class _Asked(NamedTuple, Generic[Ask, Answer]):
    ask: Ask
    answer: asyncio.Future[Answer]
    context: contextvars.Context


class TurnBatch(Generic[Ask, Answer]):
    def __init__(
        self, answer_all: Callable[[list[Ask]], Coroutine[Any, Any, Sequence[Answer]]]
    ) -> None:
        """`answer_all` answers a batch of asks, in their order."""
        self._answer_all = answer_all
        self._asks: list[_Asked[Ask, Answer]] = []
        self._answering: asyncio.Task[None] | None = None

    async def ask(self, ask: Ask) -> Answer:
        answer: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._asks.append(_Asked(ask, answer, contextvars.copy_context()))
        if self._answering is None:
            self._answering = asyncio.create_task(
                self._answer_while_asked(), context=contextvars.Context()
            )
        return await answer

    async def _answer_while_asked(self) -> None:
        batch: list[_Asked[Ask, Answer]] = []
        try:
            while self._asks:
                batch, self._asks = self._asks, []
                await self._answer(batch)
        finally:
            self._answering = None
            for asked in batch + self._asks:  # only if this task itself was cancelled
                asked.answer.cancel()
            self._asks = []

    async def _answer(self, batch: list[_Asked[Ask, Answer]]) -> None:
        context = batch[0].context if len(batch) == 1 else contextvars.Context()
        answering = self._answer_all([asked.ask for asked in batch])
        try:
            answers = await asyncio.create_task(answering, context=context)
        except Exception as error:  # noqa: BLE001  handed to every ask of the batch
            for asked in batch:
                if not asked.answer.done():
                    asked.answer.set_exception(error)
            return
        for asked, result in zip(batch, answers, strict=True):
            if not asked.answer.done():  # its asker may have been cancelled
                asked.answer.set_result(result)
