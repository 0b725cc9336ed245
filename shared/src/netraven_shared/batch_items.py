"""What a `BatchConsumer` is given and holds: `Parse` turns a message's bytes into an item
(`parsed_as` for a pydantic model), `Write` stores a batch of items in one transaction, and `InHand`
keeps each item with the message it came from until that message is acked, terminated or handed
back.

`WrittenTogether` lets several consumers share one transaction per turn: the batches that wait
while a write runs are written next, together. A transaction's fixed cost (locks, refreshes,
commit) is then paid once per turn instead of once per consumer. When the shared write fails,
each batch is written alone, so a consumer sees only its own batch's failure (and isolates what
in it cannot be written, as ever).
"""

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Generic, TypeVar

from nats.aio.msg import Msg
from pydantic import BaseModel

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

Parse = Callable[[bytes], Awaitable[T]]
Write = Callable[[list[T]], Awaitable[None]]


def parsed_as(model: type[M]) -> Parse[M]:
    async def parse(data: bytes) -> M:
        return model.model_validate_json(data)

    return parse


@dataclass(frozen=True)
class InHand(Generic[T]):
    message: Msg
    item: T


class WrittenTogether(Generic[T]):
    """`write` for every consumer that shares `write_all`; one write runs at a time."""

    def __init__(self, write_all: Write[T]) -> None:
        self._write_all = write_all
        self._turn = asyncio.Lock()
        self._waiting: list[tuple[list[T], asyncio.Future[None]]] = []

    async def write(self, items: list[T]) -> None:
        written = asyncio.get_running_loop().create_future()
        self._waiting.append((items, written))
        async with self._turn:
            if not written.done():
                batches, self._waiting = self._waiting, []
                try:
                    await self._write_each(batches)
                except BaseException:  # cancelled: the other batches wait for the next write
                    left = [(i, w) for i, w in batches if w is not written and not w.done()]
                    self._waiting[:0] = left
                    raise
        await written

    async def _write_each(self, batches: list[tuple[list[T], asyncio.Future[None]]]) -> None:
        """All the batches in one write, or, if that fails, each alone."""
        if len(batches) > 1:
            with suppress(Exception):  # then each batch is tried alone, for its own outcome
                await self._write_all([item for items, _ in batches for item in items])
                for _, written in batches:
                    written.set_result(None)
                return
        for items, written in batches:
            try:
                await self._write_all(items)
            except Exception as error:  # noqa: BLE001  (handed to the consumer it belongs to)
                written.set_exception(error)
            else:
                written.set_result(None)
