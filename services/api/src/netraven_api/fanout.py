"""One source fanned out to many live streams in this process.

Every listener has its own bounded queue. Publishing never waits: a listener whose queue is full has
fallen behind, so it is dropped (its stream ends and the browser reconnects, resuming where it can)
instead of slowing the others down or holding an ever larger backlog in memory.
"""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

Item = TypeVar("Item")
_DROPPED = object()


class Listener(Generic[Item]):
    def __init__(self, queue_size: int) -> None:
        self._queue: asyncio.Queue[object] = asyncio.Queue(queue_size)

    async def next(self, timeout: float) -> Item | None:
        """The next item; None when `timeout` passes first. Raises `FellBehind` once dropped."""
        try:
            async with asyncio.timeout(timeout):
                item = await self._queue.get()
        except TimeoutError:
            return None
        if item is _DROPPED:
            raise FellBehind
        return item  # type: ignore[return-value]

    def offer(self, item: Item) -> bool:
        try:
            self._queue.put_nowait(item)
        except asyncio.QueueFull:
            self._drop()
            return False
        return True

    def _drop(self) -> None:
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(_DROPPED)


class FellBehind(Exception):
    """The listener's queue filled up: it missed items and must start over."""


class Fanout(Generic[Item]):
    def __init__(self, queue_size: int) -> None:
        self._queue_size = queue_size
        self._listeners: set[Listener[Item]] = set()

    @property
    def listeners(self) -> int:
        return len(self._listeners)

    @contextmanager
    def listening(self) -> Iterator[Listener[Item]]:
        listener: Listener[Item] = Listener(self._queue_size)
        self._listeners.add(listener)
        try:
            yield listener
        finally:
            self._listeners.discard(listener)

    def publish(self, item: Item) -> None:
        for listener in list(self._listeners):
            if not listener.offer(item):
                self._listeners.discard(listener)
