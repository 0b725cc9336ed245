"""Consumers sharing one write per turn (`WrittenTogether`): the batches that wait while a write
runs go in the next one, a batch that cannot be written fails alone, and a write cancelled midway
leaves the other consumers' batches to the next write instead of failing them."""

import asyncio

import pytest
from netraven_shared.batch_items import WrittenTogether
from netraven_shared.rejection import Rejected


class Store:
    """A write that takes a moment, refuses any batch holding "bad", waits at `gate` with a batch
    holding "slow", and keeps what it wrote."""

    def __init__(self) -> None:
        self.writes: list[list[str]] = []
        self.gate = asyncio.Event()
        self.at_gate = asyncio.Event()

    async def write(self, items: list[str]) -> None:
        if "slow" in items:
            self.at_gate.set()
            await self.gate.wait()
        await asyncio.sleep(0.01)
        if "bad" in items:
            raise Rejected("bad is refused")
        self.writes.append(items)


class TestWrittenTogether:
    async def test_batches_that_wait_go_in_one_write(self) -> None:
        store = Store()
        together = WrittenTogether(store.write)
        await asyncio.gather(*(together.write([name]) for name in ("a", "b", "c")))
        assert store.writes == [["a"], ["b", "c"]]

    async def test_a_batch_that_cannot_be_written_fails_alone(self) -> None:
        store = Store()
        together = WrittenTogether(store.write)
        outcomes = await asyncio.gather(
            *(together.write([name]) for name in ("a", "bad", "c")), return_exceptions=True
        )
        assert outcomes[0] is None and outcomes[2] is None
        assert isinstance(outcomes[1], Rejected)
        assert store.writes == [["a"], ["c"]]

    async def test_a_cancelled_write_leaves_the_other_batches_to_the_next(self) -> None:
        store = Store()
        together = WrittenTogether(store.write)
        first = asyncio.create_task(together.write(["a"]))
        await asyncio.sleep(0)  # "a" holds the turn: the next three wait for it, in order
        holder = asyncio.create_task(together.write(["slow"]))
        others = [asyncio.create_task(together.write([name])) for name in ("b", "c")]
        await first
        await store.at_gate.wait()  # the holder writes "slow", "b" and "c" together
        holder.cancel()
        async with asyncio.timeout(5):
            await asyncio.gather(*others)
        with pytest.raises(asyncio.CancelledError):
            await holder
        assert store.writes == [["a"], ["b", "c"]]
