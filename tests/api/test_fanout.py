"""One source, many listeners: one that falls behind is dropped, and the others never wait."""

import pytest
from netraven_api.fanout import Fanout, FellBehind


class TestFanout:
    async def test_every_listener_gets_every_item_in_order(self) -> None:
        fanout: Fanout[int] = Fanout(queue_size=10)
        with fanout.listening() as first, fanout.listening() as second:
            for item in range(3):
                fanout.publish(item)
            assert [await first.next(1) for _ in range(3)] == [0, 1, 2]
            assert [await second.next(1) for _ in range(3)] == [0, 1, 2]

    async def test_a_listener_that_falls_behind_is_dropped_and_the_others_keep_up(self) -> None:
        fanout: Fanout[int] = Fanout(queue_size=2)
        with fanout.listening() as slow, fanout.listening() as fast:
            for item in range(5):
                fanout.publish(item)
                assert await fast.next(1) == item
            assert fanout.listeners == 1
            with pytest.raises(FellBehind):
                await slow.next(1)

    async def test_nothing_published_is_a_timeout_not_an_item(self) -> None:
        fanout: Fanout[int] = Fanout(queue_size=2)
        with fanout.listening() as listener:
            assert await listener.next(0.01) is None

    async def test_a_listener_that_leaves_is_forgotten(self) -> None:
        fanout: Fanout[int] = Fanout(queue_size=2)
        with fanout.listening():
            assert fanout.listeners == 1
        assert fanout.listeners == 0
