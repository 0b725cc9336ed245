"""`TurnBatch`: the asks of one event-loop turn answered by one call, each asker its own answer."""

import asyncio
import contextvars

import pytest
from netraven_shared.turn_batch import TurnBatch


class Doubler:
    def __init__(self, fail: bool = False) -> None:
        self.calls: list[list[int]] = []
        self.fail = fail
        self.release = asyncio.Event()
        self.release.set()

    async def answer_all(self, asks: list[int]) -> list[int]:
        self.calls.append(asks)
        await self.release.wait()
        if self.fail:
            raise ConnectionError("away")
        return [2 * ask for ask in asks]


ASKER = contextvars.ContextVar("asker", default="nobody")


class TestTurnBatch:
    async def test_asks_of_one_turn_share_one_call_and_each_gets_its_answer(self) -> None:
        doubler = Doubler()
        batch = TurnBatch(doubler.answer_all)
        assert await asyncio.gather(*(batch.ask(n) for n in range(5))) == [0, 2, 4, 6, 8]
        assert doubler.calls == [[0, 1, 2, 3, 4]]

    async def test_asks_made_while_a_call_runs_wait_for_the_next_one(self) -> None:
        doubler = Doubler()
        doubler.release.clear()
        batch = TurnBatch(doubler.answer_all)
        first = asyncio.gather(batch.ask(1), batch.ask(2))
        await asyncio.sleep(0.01)
        later = asyncio.gather(batch.ask(3))
        await asyncio.sleep(0.01)
        doubler.release.set()
        assert (await first, await later) == ([2, 4], [6])
        assert doubler.calls == [[1, 2], [3]]

    async def test_a_failed_call_fails_every_ask_of_its_batch_and_the_next_batch_is_answered(
        self,
    ) -> None:
        doubler = Doubler(fail=True)
        batch = TurnBatch(doubler.answer_all)
        results = await asyncio.gather(batch.ask(1), batch.ask(2), return_exceptions=True)
        assert [type(result) for result in results] == [ConnectionError, ConnectionError]
        doubler.fail = False
        assert await batch.ask(3) == 6

    async def test_a_cancelled_asker_leaves_the_others_their_answers(self) -> None:
        doubler = Doubler()
        doubler.release.clear()
        batch = TurnBatch(doubler.answer_all)
        cancelled, kept = asyncio.ensure_future(batch.ask(1)), asyncio.ensure_future(batch.ask(2))
        await asyncio.sleep(0.01)
        cancelled.cancel()
        doubler.release.set()
        assert await kept == 4
        with pytest.raises(asyncio.CancelledError):
            await cancelled

    async def test_a_batch_of_one_runs_in_its_askers_context_a_batch_of_many_in_none(
        self,
    ) -> None:
        seen: list[str] = []

        async def answer_all(asks: list[str]) -> list[str]:
            seen.append(ASKER.get())
            return asks

        async def ask_as(batch: TurnBatch[str, str], name: str) -> str:
            ASKER.set(name)
            return await batch.ask(name)

        batch: TurnBatch[str, str] = TurnBatch(answer_all)
        await ask_as(batch, "alone")
        await asyncio.gather(ask_as(batch, "first"), ask_as(batch, "second"))
        assert seen == ["alone", "nobody"]
